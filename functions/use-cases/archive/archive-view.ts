import { sha256Hex } from '../../core/archive/digest.ts';
import type { ObjectInfo, ObjectStore } from '../ports/storage.ts';
import { mapBounded } from './bounded.ts';

/**
 * One listing of a bucket prefix, and reads that know what the listing holds: a key that is
 * not listed is missing without a request, and each object's sha256 is computed once even
 * when two checks need it.
 */
export class ArchiveView {
  private readonly digests = new Map<string, Promise<{ sha256: string; size: number }>>();

  private constructor(
    private readonly store: ObjectStore,
    readonly bucket: string,
    readonly listing: ReadonlyMap<string, ObjectInfo>,
    private readonly concurrency: number,
  ) {}

  static async open(
    store: ObjectStore,
    bucket: string,
    prefix: string,
    concurrency: number,
  ): Promise<ArchiveView> {
    const objects = await store.list(bucket, prefix);
    return new ArchiveView(store, bucket, new Map(objects.map((o) => [o.key, o])), concurrency);
  }

  has(key: string): boolean {
    return this.listing.has(key);
  }

  keys(): string[] {
    return [...this.listing.keys()];
  }

  /** The object's bytes; undefined when it is not in the listing. */
  async read(key: string): Promise<Uint8Array | undefined> {
    return this.listing.has(key) ? this.store.get(this.bucket, key) : undefined;
  }

  /** sha256 and size of a listed object (read once). */
  digest(key: string): Promise<{ sha256: string; size: number }> {
    let found = this.digests.get(key);
    if (!found) {
      found = this.store
        .get(this.bucket, key)
        .then((body) => ({ sha256: sha256Hex(body), size: body.byteLength }));
      this.digests.set(key, found);
    }
    return found;
  }

  /** Digests of many objects, a bounded number at a time. */
  async digestAll(keys: readonly string[]): Promise<Map<string, { sha256: string; size: number }>> {
    const listed = keys.filter((k) => this.listing.has(k));
    const digests = await mapBounded(listed, this.concurrency, (k) => this.digest(k));
    return new Map(listed.map((k, i) => [k, digests[i] as { sha256: string; size: number }]));
  }

  map<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
    return mapBounded(items, this.concurrency, work);
  }
}
