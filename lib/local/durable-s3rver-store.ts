import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * s3rver's filesystem store answers a PUT (and emits the object-created event) when it has
 * hashed the body, not when the file is written: its promise resolves on the hashing
 * stream's `finish`, before the write stream's. A GET right after the PUT or the event can
 * then read a truncated object — under load, a department's upload looked like a damaged
 * zip. S3 is read-after-write consistent, so the stand-in must be too: this replaces the
 * store's putObject with one that resolves only once the bytes are on disk.
 *
 * A new object must also appear whole or not at all: s3rver takes an object's length from
 * the file's size, so a GET during the write (a page polling for a receipt) answered a short
 * or empty body. The bytes go to a temporary file first, the metadata next, and a rename
 * makes the object visible last.
 */
interface S3rverObject {
  bucket: string;
  key: string;
  metadata: Record<string, string>;
  content: Buffer | NodeJS.ReadableStream;
}

interface FilesystemStore {
  getResourcePath(bucket: string, key: string, kind: 'object'): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: S3rverObject): Promise<{ size: number; md5: string }>;
}

export function makePutsDurable(server: { store: unknown }): void {
  const store = server.store as FilesystemStore;
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(path.dirname(objectPath), { recursive: true });
    const md5 = createHash('md5');
    let size = 0;
    const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    // Not ending in s3rver's object suffix, so a listing never shows it; a short name of its
    // own, so a key segment as long as the object's file name allows still fits.
    const partial = path.join(path.dirname(objectPath), `.partial-${randomBytes(6).toString('hex')}`);
    try {
      await pipeline(
        source,
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            md5.update(chunk);
            size += chunk.length;
            callback(null, chunk);
          },
        }),
        createWriteStream(partial),
      );
      const digest = md5.digest('hex');
      await store.putMetadata(object.bucket, object.key, object.metadata, digest);
      await rename(partial, objectPath);
      return { size, md5: digest };
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  };
}
