import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseCatalogYaml } from '../core/catalog/catalog-parse.ts';
import type { Catalog } from '../core/catalog/catalog-schema.ts';
import { DubanError, NotFoundError } from '../core/errors.ts';
import { templatesRoot } from './templates-dir.ts';

/** Catalog files shipped with duban: templates/catalogs/jiefang-<year>.yaml. */
export function seedCatalogPath(year = 2023): string {
  return join(templatesRoot(), 'catalogs', `jiefang-${year}.yaml`);
}

/**
 * Reads and validates a catalog YAML file. A file that cannot be read is a usage error
 * (exit 2) naming the path; the problems in its content are rejected input (exit 1).
 */
export async function loadCatalogFile(path: string): Promise<Catalog> {
  const text = new TextDecoder().decode(await readInputFile(path, 'the catalog file'));
  return parseCatalogYaml(text, basename(path));
}

/** The draft keyword table shipped with duban (责任单位 proposals for `catalog draft`). */
export function draftKeywordsPath(): string {
  return join(templatesRoot(), 'catalogs', 'draft-keywords.yaml');
}

/**
 * Reads a file the user named. One that is not there (or cannot be read) is not input duban
 * judged but a name that points nowhere, like an unknown sha256 or department: exit 2, naming
 * the path. Exit 1 stays for content that was read and rejected.
 */
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
    const message = `${path}: cannot read ${what} (${why})`;
    throw code === 'ENOENT' || code === 'EISDIR' ? new NotFoundError(message) : new DubanError(message);
  }
}
