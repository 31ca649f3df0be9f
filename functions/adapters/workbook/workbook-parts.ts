import { inflateRawSync } from 'node:zlib';
import { DEFAULT_LIMITS, type GuardLimits } from '../../core/ingest/upload-limits.ts';
import type { UploadParts } from '../../use-cases/ports/ingest.ts';
import { guardWorkbook, inflateEntry, inflatePrefix, type ZipEntry } from './zip-guard.ts';

/**
 * An upload's zip, guarded once, with each part inflated at most once: the reader inflates the
 * parts validation needs, and the annotated copy takes those same bytes and inflates only
 * what the reader never looked at. Every inflation stays under the part's declared size.
 */
export class WorkbookParts implements UploadParts {
  private readonly byName = new Map<string, ZipEntry>();
  private readonly inflated = new Map<string, Uint8Array>();
  /** How many times a part was actually inflated (each at most once). */
  inflations = 0;

  private constructor(
    readonly bytes: Uint8Array,
    entries: readonly ZipEntry[],
  ) {
    for (const e of entries) this.byName.set(partName(e), e);
  }

  /** Guards the zip (throws WorkbookRejectedError for a refusal) and opens it. */
  static open(bytes: Uint8Array, limits: GuardLimits = DEFAULT_LIMITS): WorkbookParts {
    return new WorkbookParts(bytes, guardWorkbook(bytes, limits));
  }

  names(): string[] {
    return [...this.byName.keys()].filter((name) => !name.endsWith('/'));
  }

  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  inflate(name: string): Uint8Array {
    const entry = this.byName.get(name);
    if (!entry) throw new Error(`no part ${name} in the upload`);
    return this.whole(entry, true);
  }

  /**
   * The entry inflated whole. `fast` lets zlib do it when the entry is plain (several times
   * faster); the capped inflater runs otherwise, and refuses output beyond the declared size.
   */
  whole(entry: ZipEntry, fast: boolean): Uint8Array {
    const name = partName(entry);
    const kept = this.inflated.get(name);
    if (kept) return kept;
    this.inflations += 1;
    const buffer =
      (fast ? inflateNatively(this.bytes, entry) : undefined) ?? inflateCapped(this.bytes, entry);
    // A plain view: Buffer's own indexOf goes through a slower general path.
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    this.inflated.set(name, bytes);
    return bytes;
  }

  /**
   * At least the first `bytes` bytes of the entry inflated (fewer only if the entry is
   * shorter), without inflating the rest: enough to read a sheet's <dimension> before
   * deciding to inflate a part that may be tens of megabytes.
   */
  head(entry: ZipEntry, bytes: number): Uint8Array {
    const kept = this.inflated.get(partName(entry));
    if (kept) return kept.subarray(0, bytes);
    // Inflated natively from a compressed prefix as long as the bytes wanted (deflate seldom
    // shrinks text less than that), longer only if it falls short.
    for (let compressed = bytes; ; compressed *= 4) {
      const head = inflatePrefix(this.bytes, entry, compressed);
      if (head.length >= bytes || compressed >= entry.compressedSize) return head;
    }
  }

  /**
   * The entry's bytes in chunks, for a streaming parser: from memory when already inflated,
   * otherwise from the capped inflater, kept once the whole part has come through. A parser
   * that throws part-way leaves nothing kept.
   */
  stream(entry: ZipEntry, onChunk: (chunk: Uint8Array) => void): void {
    const name = partName(entry);
    const kept = this.inflated.get(name);
    if (kept) {
      onChunk(kept);
      return;
    }
    this.inflations += 1;
    const chunks: Uint8Array[] = [];
    inflateEntry(this.bytes, entry, (chunk) => {
      // The inflater may reuse its buffer for the next chunk.
      const own = chunk.slice();
      chunks.push(own);
      onChunk(own);
    });
    this.inflated.set(name, chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks));
  }
}

function partName(entry: ZipEntry): string {
  return entry.name.replace(/^\//, '');
}

function inflateCapped(bytes: Uint8Array, entry: ZipEntry): Buffer {
  const chunks: Uint8Array[] = [];
  inflateEntry(bytes, entry, (chunk) => {
    chunks.push(chunk);
  });
  return Buffer.concat(chunks);
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;

/**
 * zlib inflates a large part several times faster than the streaming inflater and stops
 * as soon as the output passes the declared size. Any failure (a lying size, a damaged
 * stream, an unusual local header) answers undefined: the capped inflater then runs and
 * refuses the part exactly as it always has.
 */
function inflateNatively(bytes: Uint8Array, entry: ZipEntry): Buffer | undefined {
  const at = entry.localHeaderOffset;
  if (entry.method !== 8 || entry.uncompressedSize < 1 || at + 30 > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(at, true) !== LOCAL_HEADER_SIGNATURE) return undefined;
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  try {
    return inflateRawSync(bytes.subarray(start, start + entry.compressedSize), {
      maxOutputLength: entry.uncompressedSize,
    });
  } catch {
    return undefined;
  }
}
