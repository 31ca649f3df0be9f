import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPostOptions } from '@aws-sdk/s3-presigned-post';
import { UPLOAD_METADATA } from '../../shared/resources.ts';
import { keys, objectKeys as objectKeysOf } from '../../shared/storage-keys.ts';
import type { UploadForm, UploadGateway } from '../../use-cases/ports/portal.ts';
import { newUploadId } from './direct-upload-gateway.ts';

/**
 * AWS uploads: the browser posts the workbook straight to the uploads bucket with an S3
 * presigned POST, so the bytes never pass through the portal Lambda (no 6 MB payload limit,
 * no Lambda time spent streaming). The policy the portal signs pins everything that decides
 * where the file goes and who it is recorded as:
 *
 * - `key` exactly `incoming/<dept>/<period>/<uploadId>.xlsx`: the dept is the principal's, the
 *   id the server's, so a department can neither write elsewhere nor overwrite an upload;
 * - `content-length-range` 1..maxBytes: S3 refuses an empty or oversized file itself;
 * - `Content-Type` the xlsx type, `x-amz-meta-uploader` the logged-in username (the audit
 *   actor ingest records), `success_action_redirect` the receipt page of this upload;
 * - an expiry of `expiresInSeconds` (15 minutes by default: long enough to pick a file on a
 *   slow office connection, short enough that a leaked form is soon worthless).
 *
 * The signature is made with the portal function's own credentials, so its role needs
 * s3:PutObject on incoming/ (and nothing in the form can widen that).
 */
export interface PresignedUploadOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly maxBytes: number;
  readonly clock: () => Date;
  readonly expiresInSeconds?: number;
  /** Key scope of the district (the default district has none). */
  readonly district?: string;
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const DEFAULT_FORM_EXPIRY_SECONDS = 15 * 60;

export class PresignedOnlyError extends Error {
  override readonly name = 'PresignedOnlyError';
}

/** The origin (scheme://host[:port]) a presigned POST goes to, for the CSP form-action list. */
export function bucketOrigin(url: string): string {
  return new URL(url).origin;
}

/**
 * Async because the bucket's origin (for the CSP form-action list, fixed when the app is
 * built) is whatever the SDK's endpoint rules make of bucket and region; one probe form is
 * signed at start-up to learn it rather than re-deriving those rules here.
 */
export async function createPresignedUploadGateway(options: PresignedUploadOptions): Promise<UploadGateway> {
  const expires = options.expiresInSeconds ?? DEFAULT_FORM_EXPIRY_SECONDS;
  const objectKeys = options.district ? objectKeysOf(options.district) : keys;

  const sign = (key: string, fields: Record<string, string>) => {
    const request: PresignedPostOptions = {
      Bucket: options.bucket,
      Key: key,
      Fields: fields,
      Conditions: [['content-length-range', 1, options.maxBytes]],
      Expires: expires,
    };
    // @aws-sdk/s3-presigned-post pins its own copy of client-s3; the client is the same at
    // run time (only its `config` is read), only the declared class differs.
    return createPresignedPost(options.s3 as unknown as Parameters<typeof createPresignedPost>[0], request);
  };
  const probe = await sign(objectKeys.incoming({ dept: 'probe', period: '0000-00', file: 'probe.xlsx' }), {});

  return {
    mode: 'presigned',
    formOrigins: [bucketOrigin(probe.url)],
    async open(principal, period, urls): Promise<UploadForm> {
      if (principal.role !== 'department' || !principal.dept) {
        throw new Error('only department users upload (the route checks this first)');
      }
      const issuedAt = options.clock();
      const uploadId = newUploadId(issuedAt);
      const key = objectKeys.incoming({ dept: principal.dept, period, file: `${uploadId}.xlsx` });
      const returnTo = urls.returnTo(uploadId);
      const post = await sign(key, {
        'Content-Type': XLSX_CONTENT_TYPE,
        [`x-amz-meta-${UPLOAD_METADATA.uploader}`]: principal.username,
        success_action_redirect: returnTo,
      });
      return {
        uploadId,
        returnTo,
        action: post.url,
        fields: post.fields,
        fileField: 'file',
        maxBytes: options.maxBytes,
        expiresAt: new Date(issuedAt.getTime() + expires * 1000).toISOString(),
      };
    },
    async receive() {
      throw new PresignedOnlyError('uploads go to S3 through the presigned form, not through the portal');
    },
  };
}
