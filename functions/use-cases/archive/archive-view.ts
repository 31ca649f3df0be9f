import { sha256Hex } from '../../core/archive/digest.ts';
import type { ObjectInfo, ObjectStore } from '../ports/storage.ts';
import { mapBounded } from './bounded.ts';

/**
 * One listing of a bucket prefix, and reads that know what the listing holds: a key that is
 * not listed is missing without a request, and each object is fetched once even when two
 * checks need it (its sha256 for one, its bytes for another).
 *
 * Verify's cost is the round trips: every archived object must be read and hashed, so
 * `prefetch` starts reading a whole listing at once, `concurrency` objects in flight, while
 * the chain and the table are still being read; the checks then find the digests ready.
 */

interface Fetched {
  readonly sha256: string;
  readonly size: number;
  /** Kept for small objects only (manifests, seals): what a check parses. */
  readonly body?: Uint8Array;
}

/** Objects up to this size keep their bytes after hashing; a bulletin PDF does not. */
const KEEP_BYTES = 256 * 1024;

export class ArchiveView {
  private readonly fetched = new Map<string, Promise<Fetched>>();

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

  /**
   * Starts fetching the listed objects (all of them, or those `wanted` keeps), a bounded
   * number at a time, without waiting: a failure surfaces where a check awaits that object.
   */
  prefetch(wanted: (key: string) => boolean = () => true): void {
    const keys = this.keys().filter((k) => wanted(k) && !this.fetched.has(k));
    const pending = new Map(keys.map((k) => [k, deferred<Fetched>()]));
    for (const [k, d] of pending) this.fetched.set(k, d.promise);
    void mapBounded(keys, this.concurrency, async (k) => {
      const d = pending.get(k);
      try {
        d?.resolve(await this.load(k));
      } catch (error) {
        d?.reject(error);
      }
    });
  }

  /** The object's bytes; undefined when it is not in the listing. */
  async read(key: string): Promise<Uint8Array | undefined> {
    if (!this.listing.has(key)) return undefined;
    const kept = (await this.fetch(key)).body;
    return kept ?? this.store.get(this.bucket, key);
  }

  /** sha256 and size of a listed object (read once). */
  async digest(key: string): Promise<{ sha256: string; size: number }> {
    const { sha256, size } = await this.fetch(key);
    return { sha256, size };
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

  private fetch(key: string): Promise<Fetched> {
    let found = this.fetched.get(key);
    if (!found) {
      found = this.load(key);
      this.fetched.set(key, found);
    }
    return found;
  }

  private async load(key: string): Promise<Fetched> {
    const body = await this.store.get(this.bucket, key);
    return {
      sha256: sha256Hex(body),
      size: body.byteLength,
      ...(body.byteLength <= KEEP_BYTES ? { body } : {}),
    };
  }
}

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A prefetched object no check asks for must not become an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}
