import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputRejectedError } from '../../functions/core/errors.ts';

/** Written to a temporary name first, so a failure never leaves half a file behind. */
export async function writeWhole(path: string, text: string, what: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputRejectedError(`${path}: cannot write ${what} (${code})`);
  }
}
