import { createHash } from 'node:crypto';
import { NotFoundError } from '../../core/errors.ts';
import { type Receipt, receiptSchema } from '../../core/ingest/receipt.ts';
import { parseStoredJson } from '../../core/stored-record.ts';
import { UPLOAD_METADATA } from '../../shared/resources.ts';
import { keys, type UploadPlace } from '../../shared/storage-keys.ts';
import type { ObjectStore } from '../ports/storage.ts';
import { XLSX_TYPE } from './fetch-upload.ts';

/**
 * The uploader's side of ingest, shared by the CLI and the portal: put the workbook where a
 * department's upload goes (ingest runs from the object-created event), then read the receipt
 * ingest writes for exactly those bytes.
 */

export interface UploadRequest {
  readonly place: UploadPlace;
  readonly bytes: Uint8Array;
  readonly uploader: string;
  /** Department and period the uploader stated; ingest checks them against the workbook. */
  readonly flags?: { readonly dept?: string; readonly period?: string };
}

export interface SubmittedUpload {
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
  const key = keys.incoming(request.place);
  const sha256 = createHash('sha256').update(request.bytes).digest('hex');
  await objects.put(bucket, key, request.bytes, {
    contentType: XLSX_TYPE,
    metadata: {
      [UPLOAD_METADATA.uploader]: request.uploader,
      ...(request.flags?.dept ? { [UPLOAD_METADATA.dept]: request.flags.dept } : {}),
      ...(request.flags?.period ? { [UPLOAD_METADATA.period]: request.flags.period } : {}),
    },
  });
  return { key, sha256, receiptKey: keys.uploadOutputs(request.place, sha256).json };
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
