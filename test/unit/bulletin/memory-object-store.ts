import { createHash } from 'node:crypto';
import { NotFoundError, ObjectExistsError } from '../../../functions/core/errors.ts';
import type {
  ObjectInfo,
  ObjectStore,
  PutObjectOptions,
} from '../../../functions/use-cases/ports/storage.ts';

/** ObjectStore in memory with the same never-overwrite rule as S3's If-None-Match. */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, { body: Uint8Array; contentType?: string }>();

  async put(
    bucket: string,
    key: string,
    body: Uint8Array | string,
    options: PutObjectOptions = {},
  ): Promise<string> {
    const id = `${bucket}/${key}`;
    if (options.ifNoneMatch && this.objects.has(id)) throw new ObjectExistsError(bucket, key);
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
    this.objects.set(id, { body: bytes, contentType: options.contentType });
    return createHash('sha256').update(bytes).digest('hex');
  }

  async get(bucket: string, key: string): Promise<Uint8Array> {
    const o = this.objects.get(`${bucket}/${key}`);
    if (!o) throw new NotFoundError(`${bucket}/${key} does not exist`);
    return o.body;
  }

  async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    const o = this.objects.get(`${bucket}/${key}`);
    return o ? { key, size: o.body.byteLength, contentType: o.contentType } : undefined;
  }

  async list(bucket: string, prefix: string): Promise<ObjectInfo[]> {
    return [...this.objects.entries()]
      .filter(([id]) => id.startsWith(`${bucket}/${prefix}`))
      .map(([id, o]) => ({ key: id.slice(bucket.length + 1), size: o.body.byteLength }))
      .sort((a, b) => a.key.localeCompare(b.key));
  }
}
