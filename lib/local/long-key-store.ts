import { createHash } from 'node:crypto';
import { cutToBytes } from '../../functions/shared/limits.ts';

/**
 * S3 takes keys of up to 1,024 bytes; s3rver keeps each segment of a key as a file or folder
 * name, adding suffixes of its own (`._S3rver_metadata.json`, 22 bytes), on a file system that
 * allows 255 bytes a name. A department's file name of 80 Chinese characters (240 bytes) then
 * failed to upload locally, where S3 takes it and ingest answers it with a receipt. A segment
 * too long for the disk is stored under a fitted name instead — its first bytes and a hash of
 * the whole — so every operation by key (put, get, head, delete, copy) finds the same file.
 * Only a listing shows the fitted name where S3 would show the key; nothing duban lists can
 * hold such keys (receipt, raw and archive keys are short by construction).
 */

/** The longest name s3rver writes is the segment plus `._S3rver_metadata.json`. */
export const MAX_SEGMENT_BYTES = 255 - '._S3rver_metadata.json'.length;

/** `<first 160 bytes>~<16 hex of sha256>`: 177 bytes at most, the same for the same segment. */
export function fittedSegment(segment: string): string {
  if (Buffer.byteLength(segment) <= MAX_SEGMENT_BYTES) return segment;
  const hash = createHash('sha256').update(segment).digest('hex').slice(0, 16);
  return `${cutToBytes(segment, 160)}~${hash}`;
}

interface PathStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
}

export function makeLongKeysFit(server: { store: unknown }): void {
  const store = server.store as PathStore;
  const resourcePath = store.getResourcePath.bind(store);
  store.getResourcePath = (bucket, key = '', resource) =>
    resourcePath(bucket, key.split('/').map(fittedSegment).join('/'), resource);
}
