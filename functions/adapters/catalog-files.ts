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
  const text = new TextDecoder().decode(await readInputFile(path, 'the catalog file'));
  return parseCatalogYaml(text, basename(path));
}

/** The draft keyword table shipped with duban (责任单位 proposals for `catalog draft`). */
export function draftKeywordsPath(): string {
  return join(templatesRoot(), 'catalogs', 'draft-keywords.yaml');
}

/** Reads a file the user named; a file that cannot be read is rejected input naming the path. */
export async function readInputFile(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
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
    throw new InputRejectedError(`${path}: cannot read ${what} (${why})`);
  }
}
