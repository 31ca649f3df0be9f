import { constants } from 'node:fs';
import { mkdir, open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { InputRejectedError } from '../../functions/core/errors.ts';

/**
 * Writing archive content under a directory the user named (`--out`): a name from the
 * archive is checked, never joined blindly. It must be a relative path of plain segments,
 * must resolve inside the directory, its parent must really be inside it once symlinks are
 * followed, and the file itself is opened without following a symlink. A name that fails
 * is refused (exit 1), not cleaned up.
 */

const SEGMENT = /^[A-Za-z0-9_\u4e00-\u9fff-][A-Za-z0-9._\u4e00-\u9fff-]{0,127}$/;

export class UnsafeOutputError extends InputRejectedError {
  override readonly name: string = 'UnsafeOutputError';
}

function checkName(name: string): string[] {
  const segments = name.split('/');
  const bad = segments.length > 8 || segments.some((s) => !SEGMENT.test(s) || /^\.+$/.test(s));
  if (bad) {
    throw new UnsafeOutputError(
      `不安全的文件名，拒绝写出 / refusing to write "${name}": not a plain relative name`,
    );
  }
  return segments;
}

function inside(root: string, target: string): boolean {
  return target.startsWith(`${root}${path.sep}`);
}

/** Writes `bytes` as `dir/name`, or throws UnsafeOutputError without writing anything. */
export async function writeInside(dir: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const segments = checkName(name);
  await mkdir(dir, { recursive: true });
  const root = await realpath(dir);
  const target = path.resolve(root, ...segments);
  if (!inside(root, target)) throw new UnsafeOutputError(`refusing to write "${name}" outside ${dir}`);
  await mkdir(path.dirname(target), { recursive: true });
  const parent = await realpath(path.dirname(target));
  if (parent !== root && !inside(root, parent)) {
    throw new UnsafeOutputError(`refusing to write "${name}": ${path.dirname(target)} leads outside ${dir}`);
  }
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(
      target,
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
      0o644,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new UnsafeOutputError(`refusing to write "${name}": it is a symbolic link in ${dir}`);
    }
    throw error;
  }
  try {
    await handle.writeFile(bytes);
  } finally {
    await handle.close();
  }
  return path.join(dir, ...segments);
}

/** Checks names before any is written, so a refused batch leaves nothing behind. */
export function checkNames(names: readonly string[]): void {
  for (const n of names) checkName(n);
}
