import { createHash, randomBytes } from 'node:crypto';
import { NotFoundError } from '../../core/errors.ts';
import { type Receipt, receiptSchema } from '../../core/ingest/receipt.ts';
import { parseStoredJson } from '../../core/stored-record.ts';
import { UPLOAD_METADATA } from '../../shared/resources.ts';
import { keys, rawExtension } from '../../shared/storage-keys.ts';
import type { ObjectStore } from '../ports/storage.ts';
import { XLSX_TYPE } from './fetch-upload.ts';

/**
 * The uploader's side of ingest, shared by the CLI and the portal: put the workbook where a
 * department's upload goes (ingest runs from the object-created event), then read the receipt
 * ingest writes for exactly those bytes.
 *
 * Every upload gets a key of its own (`incoming/<dept>/<period>/<upload id>.<ext>`), put only if
 * the key is new: two uploads of the same file name can never replace each other before ingest
 * reads them, even where the bucket keeps no versions (the local stand-in). The name the file
 * had travels as metadata.
 */

/** `20240105T080102Z-3f9a1c2b5d6e7f80`: sorts by time, unguessable, safe in a key and a URL. */
export function newUploadId(now: Date, random: Uint8Array = randomBytes(8)): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${Buffer.from(random).toString('hex')}`;
}

export interface UploadRequest {
  readonly dept: string;
  readonly period: string;
  /** The file's own name, kept as metadata (the key carries the upload id). */
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly uploader: string;
  /** Department and period the uploader stated; ingest checks them against the workbook. */
  readonly flags?: { readonly dept?: string; readonly period?: string };
  readonly now: Date;
}

export interface SubmittedUpload {
  readonly uploadId: string;
  readonly key: string;
  readonly sha256: string;
  /** Where ingest writes the receipt of these bytes. */
  readonly receiptKey: string;
}

export async function submitUpload(
  objects: ObjectStore,
  bucket: string,
  request: UploadRequest,
): Promise<SubmittedUpload> {
  const uploadId = newUploadId(request.now);
  const place = {
    dept: request.dept,
    period: request.period,
    file: `${uploadId}.${rawExtension(request.fileName)}`,
  };
  const key = keys.incoming(place);
  const sha256 = createHash('sha256').update(request.bytes).digest('hex');
  await objects.put(bucket, key, request.bytes, {
    contentType: XLSX_TYPE,
    ifNoneMatch: true,
    metadata: {
      [UPLOAD_METADATA.uploader]: request.uploader,
      // S3 metadata is ASCII: the original name travels percent-encoded.
      [UPLOAD_METADATA.fileName]: encodeURIComponent(request.fileName).slice(0, 1024),
      ...(request.flags?.dept ? { [UPLOAD_METADATA.dept]: request.flags.dept } : {}),
      ...(request.flags?.period ? { [UPLOAD_METADATA.period]: request.flags.period } : {}),
    },
  });
  return { uploadId, key, sha256, receiptKey: keys.uploadOutputs(place, sha256).json };
}

/** The receipt at `key`, parsed; undefined while ingest has not written it. */
export async function readReceipt(
  objects: ObjectStore,
  bucket: string,
  key: string,
): Promise<Receipt | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await objects.get(bucket, key);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  return parseStoredJson(receiptSchema, new TextDecoder().decode(bytes), key);
}
