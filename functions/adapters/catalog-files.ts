import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseCatalogYaml } from '../core/catalog/catalog-parse.ts';
import type { Catalog } from '../core/catalog/catalog-schema.ts';
import { InputRejectedError } from '../core/errors.ts';
import { templatesRoot } from './templates-dir.ts';

/** Catalog files shipped with duban: templates/catalogs/jiefang-<year>.yaml. */
export function seedCatalogPath(year = 2023): string {
  return join(templatesRoot(), 'catalogs', `jiefang-${year}.yaml`);
}

/**
 * Reads and validates a catalog YAML file. A file that cannot be read is rejected input
 * (exit 1) naming the path, as are all the problems in its content.
 */
export async function loadCatalogFile(path: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? String(error));
    throw new InputRejectedError(`${path}: cannot read the catalog file (${why})`);
  }
  return parseCatalogYaml(text, basename(path));
}
