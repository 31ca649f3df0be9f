import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../../core/portal/principal.ts';
import { UPLOAD_METADATA } from '../../shared/resources.ts';
import { keys } from '../../shared/storage-keys.ts';
import type { UploadGateway } from '../../use-cases/ports/portal.ts';
import type { ObjectStore } from '../../use-cases/ports/storage.ts';

/**
 * Local uploads: the app receives the multipart POST and puts the bytes into the local S3
 * at incoming/<dept>/<period>/<uploadId>.xlsx, which fires the ingest handler exactly as a
 * department's upload does in AWS. The id is the server's (time + 64 random bits), the put
 * never overwrites, and the uploader metadata is the logged-in user: nothing the client
 * sends decides where the file goes or who it is recorded as.
 */
export interface DirectUploadOptions {
  readonly objects: ObjectStore;
  readonly bucket: string;
  readonly maxBytes: number;
  readonly clock: () => Date;
}

/** `20240105T080102Z-3f9a1c2b5d6e7f80`: sorts by time, unguessable, safe in a key and a URL. */
export function newUploadId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${randomBytes(8).toString('hex')}`;
}

export function createDirectUploadGateway(options: DirectUploadOptions): UploadGateway {
  return {
    mode: 'direct',
    formOrigins: [],
    async open(_principal: Principal, _period: string, urls) {
      return {
        action: urls.directAction,
        fields: {},
        fileField: 'file',
        maxBytes: options.maxBytes,
        // A direct form does not expire; the session guards it.
        expiresAt: new Date(options.clock().getTime() + 12 * 3600_000).toISOString(),
      };
    },
    async receive(principal, period, file) {
      if (principal.role !== 'department' || !principal.dept) {
        throw new Error('only department users upload (the route checks this first)');
      }
      const uploadId = newUploadId(options.clock());
      const key = keys.incoming({ dept: principal.dept, period, file: `${uploadId}.xlsx` });
      await options.objects.put(options.bucket, key, file.bytes, {
        // The content is judged by ingest, not by what the browser claims it is.
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ifNoneMatch: true,
        metadata: {
          [UPLOAD_METADATA.uploader]: principal.username,
          // S3 metadata is ASCII: the original name travels percent-encoded, for auditors.
          filename: encodeURIComponent(file.name).slice(0, 1024),
        },
      });
      return { uploadId, key, sha256: createHash('sha256').update(file.bytes).digest('hex') };
    },
  };
}
