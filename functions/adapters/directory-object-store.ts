import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { DubanError, NotFoundError } from '../core/errors.ts';
import type { ObjectInfo, ObjectStore } from '../use-cases/ports/storage.ts';

/**
 * A downloaded copy of the archive, read as an object store so that verify runs the same
 * checks on it as on the buckets: a key is the file's path under the directory with `/`
 * separators (`bulletins/2023/02/v2/manifest.json`, `raw/<sha256>.xlsx`), whichever bucket is
 * asked. That is the layout `duban archive export` writes and `aws s3 sync` of both
 * buckets gives. `mount` reads a single version folder (what `duban archive get` writes)
 * as if it lay at its key in the archive. Read-only: it never writes.
 */
export class DirectoryObjectStore implements ObjectStore {
  private readonly root: string;

  constructor(
    root: string,
    private readonly mount = '',
  ) {
    this.root = path.resolve(root);
  }

  /** The file behind a key, or undefined for a key outside the mount. */
  private fileOf(key: string): string | undefined {
    if (!key.startsWith(this.mount)) return undefined;
    const rest = key.slice(this.mount.length);
    if (rest.split('/').some((s) => s === '' || s === '.' || s === '..')) return undefined;
    return path.join(this.root, ...rest.split('/'));
  }

  async put(): Promise<string> {
    throw new DubanError('a downloaded copy is read-only');
  }

  async get(_bucket: string, key: string): Promise<Uint8Array> {
    const file = this.fileOf(key);
    try {
      if (file) return new Uint8Array(await readFile(file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    throw new NotFoundError(`${key} is not in the copy ${this.root}`);
  }

  async head(_bucket: string, key: string): Promise<ObjectInfo | undefined> {
    const file = this.fileOf(key);
    try {
      const s = file ? await stat(file) : undefined;
      return s?.isFile() ? { key, size: s.size, lastModified: s.mtime } : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(_bucket: string, prefix: string): Promise<ObjectInfo[]> {
    const found: ObjectInfo[] = [];
    const walk = async (dir: string, keyPrefix: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const e of entries) {
        const key = `${keyPrefix}${e.name}`;
        if (e.isDirectory()) await walk(path.join(dir, e.name), `${key}/`);
        else if (e.isFile() && key.startsWith(prefix)) {
          const s = await stat(path.join(dir, e.name));
          found.push({ key, size: s.size, lastModified: s.mtime });
        }
      }
    };
    await walk(this.root, this.mount);
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }
}
