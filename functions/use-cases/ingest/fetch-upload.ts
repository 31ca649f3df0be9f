import { createHash } from 'node:crypto';
import { ObjectExistsError } from '../../core/errors.ts';
import type { Problem } from '../../core/ingest/problems.ts';
import type { Receipt } from '../../core/ingest/receipt.ts';
import { fileTooLarge, type GuardLimits } from '../../core/ingest/upload-limits.ts';
import { UPLOAD_METADATA } from '../../shared/resources.ts';
import { keys, rawExtension, type UploadOutputKeys, type UploadPlace } from '../../shared/storage-keys.ts';
import type { ObjectStore } from '../ports/storage.ts';

/** The uploaded object an S3 event (or the portal) names. */
export interface UploadRef {
  readonly bucket: string;
  readonly key: string;
  /** S3 etag of the object version the event is about. */
  readonly etag?: string;
  /** S3 sequencer: distinct for every PUT of a key, equal when an event is redelivered. */
  readonly sequencer?: string;
  /** ISO time the object was created (the event time). */
  readonly eventTime: string;
  /** Who uploaded (IAM principal), when the event says. */
  readonly principal?: string;
}

/** The upload, fetched and its original kept: everything later steps need to know about it. */
export interface FetchedUpload {
  readonly upload: UploadRef;
  readonly place: UploadPlace;
  /** What the receipt says about the file. */
  readonly source: Receipt['source'];
  /** Deterministic per PUT of the object (see uploadEventId). */
  readonly eventId: string;
  /** Department and period the uploader stated, if any. */
  readonly flags: { readonly dept?: string; readonly period?: string };
  /** Where the original is kept (raw/ by content hash; the upload itself when it was not fetched). */
  readonly rawKey: string;
  readonly contentType: string;
  readonly outputs: UploadOutputKeys;
  readonly content:
    | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
    /** Refused from its size alone: never pulled into memory, left in incoming/. */
    | { readonly kind: 'oversized'; readonly problem: Problem };
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Deterministic per PUT of an object: a redelivered event yields the same id (so it finds
 * its version and appends nothing to the audit log); a new PUT of the same key does not.
 */
export function uploadEventId(upload: UploadRef, contentSha: string): string {
  const identity = `${upload.bucket}/${upload.key}#${upload.etag ?? contentSha}#${upload.sequencer ?? ''}`;
  return `ingest-${createHash('sha256').update(identity).digest('hex').slice(0, 32)}`;
}

/** Puts an object that must never change; an earlier delivery having kept the same bytes is fine. */
export async function putOnce(
  objects: ObjectStore,
  bucket: string,
  key: string,
  body: Uint8Array,
  contentType: string,
): Promise<void> {
  try {
    await objects.put(bucket, key, body, { contentType, ifNoneMatch: true });
  } catch (error) {
    // Same key, same content-derived name: the bytes were kept by an earlier delivery.
    if (!(error instanceof ObjectExistsError)) throw error;
  }
}

/** Step 1: read the object (unless its size alone refuses it) and keep the original before anything else. */
export async function fetchUpload(
  objects: ObjectStore,
  limits: GuardLimits,
  upload: UploadRef,
  place: UploadPlace,
): Promise<FetchedUpload> {
  const info = await objects.head(upload.bucket, upload.key);
  const metadata = info?.metadata ?? {};
  const contentType = info?.contentType ?? XLSX_TYPE;
  const uploader = metadata[UPLOAD_METADATA.uploader] || upload.principal || 'unknown';
  const flags = {
    dept: metadata[UPLOAD_METADATA.dept] || undefined,
    period: metadata[UPLOAD_METADATA.period] || undefined,
  };
  const common = (sha: string, size: number, rawKey: string) => ({
    upload,
    place,
    source: {
      bucket: upload.bucket,
      key: upload.key,
      sha256: sha,
      size,
      receivedAt: upload.eventTime,
      uploader,
    },
    eventId: uploadEventId(upload, sha),
    flags,
    rawKey,
    contentType,
    outputs: keys.uploadOutputs(place, sha),
  });

  if (info !== undefined && info.size > limits.maxFileBytes) {
    const sha = `unread-${(upload.etag ?? info.etag ?? 'unknown').replace(/[^0-9A-Za-z]/g, '')}`;
    return {
      ...common(sha, info.size, upload.key),
      content: { kind: 'oversized', problem: fileTooLarge(info.size, limits) },
    };
  }
  const bytes = await objects.get(upload.bucket, upload.key);
  const sha = sha256(bytes);
  const rawKey = keys.raw(sha, rawExtension(place.file));
  await putOnce(objects, upload.bucket, rawKey, bytes, contentType);
  return { ...common(sha, bytes.length, rawKey), content: { kind: 'bytes', bytes } };
}
