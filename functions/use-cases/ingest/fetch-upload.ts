import { createHash } from 'node:crypto';
import { ObjectChangedError, ObjectExistsError } from '../../core/errors.ts';
import { type Problem, problem } from '../../core/ingest/problems.ts';
import type { Receipt } from '../../core/ingest/receipt.ts';
import {
  identifyUploader,
  type UploadIdentity,
  type UploadTrust,
} from '../../core/ingest/upload-identity.ts';
import { fileTooLarge, type GuardLimits } from '../../core/ingest/upload-limits.ts';
import { bareEtag } from '../../core/s3-event-key.ts';
import { UPLOAD_METADATA } from '../../shared/resources.ts';
import { keys, rawExtension, type UploadOutputKeys, type UploadPlace } from '../../shared/storage-keys.ts';
import type { ObjectStore } from '../ports/storage.ts';

/** The uploaded object an S3 event (or the portal) names. */
export interface UploadRef {
  readonly bucket: string;
  readonly key: string;
  /** S3 etag of the object version the event is about. */
  readonly etag?: string;
  /** S3 version id of that object (set by a versioned bucket, as the uploads bucket is on AWS). */
  readonly versionId?: string;
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
  /** Who uploaded, as authenticated; `source.uploader` is its actor. */
  readonly identity: UploadIdentity;
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
    /**
     * Refused without its bytes: too large to pull into memory (left in incoming/), or replaced
     * by a later PUT of the same key before it could be read (only where the bucket keeps no
     * versions; the receipt says so rather than answering for the other upload's bytes).
     */
    | { readonly kind: 'unread'; readonly problem: Problem };
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

function uploadReplaced(etag: string): Problem {
  return problem({
    code: 'upload-replaced',
    zh: '这份上传在处理前已被同一位置的另一份上传替换，原文件未能读取，请重新上传',
    en: 'this upload was replaced by another upload at the same key before it could be read; upload it again',
    value: etag,
  });
}

/**
 * Step 1: read exactly the object the event names (its version, checked against its ETag) unless
 * its size alone refuses it, and keep the original before anything else.
 */
export async function fetchUpload(
  deps: { readonly objects: ObjectStore; readonly limits: GuardLimits; readonly trust: UploadTrust },
  upload: UploadRef,
  place: UploadPlace,
): Promise<FetchedUpload> {
  const { objects, limits } = deps;
  const version = upload.versionId ? { versionId: upload.versionId } : {};
  const info = await objects.head(upload.bucket, upload.key, version);
  const expected = bareEtag(upload.etag);
  // Another upload's object: none of its metadata speaks for this one.
  const replaced = expected !== undefined && info !== undefined && bareEtag(info.etag) !== expected;
  const metadata = (!replaced && info?.metadata) || {};
  const contentType = info?.contentType ?? XLSX_TYPE;
  // The metadata names whom the client says it is; only a trusted setter's is believed.
  const identity = identifyUploader(
    { principalId: upload.principal, declared: metadata[UPLOAD_METADATA.uploader] },
    deps.trust,
  );
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
      uploader: identity.actor,
      principal: identity.principal,
      declaredUploader: identity.declaredUploader,
    },
    identity,
    eventId: uploadEventId(upload, sha),
    flags,
    rawKey,
    contentType,
    outputs: keys.uploadOutputs(place, sha),
  });

  const unread = (size: number, why: Problem): FetchedUpload => {
    const sha = `unread-${(upload.etag ?? info?.etag ?? 'unknown').replace(/[^0-9A-Za-z]/g, '')}`;
    return { ...common(sha, size, upload.key), content: { kind: 'unread', problem: why } };
  };
  if (replaced) return unread(0, uploadReplaced(expected));
  if (info !== undefined && info.size > limits.maxFileBytes) {
    return unread(info.size, fileTooLarge(info.size, limits));
  }
  let bytes: Uint8Array;
  try {
    bytes = await objects.get(upload.bucket, upload.key, { ...version, etag: expected });
  } catch (error) {
    if (error instanceof ObjectChangedError) return unread(0, uploadReplaced(error.expectedEtag));
    throw error;
  }
  const sha = sha256(bytes);
  const rawKey = keys.raw(sha, rawExtension(place.file));
  await putOnce(objects, upload.bucket, rawKey, bytes, contentType);
  return { ...common(sha, bytes.length, rawKey), content: { kind: 'bytes', bytes } };
}
