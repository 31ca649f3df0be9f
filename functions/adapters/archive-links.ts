import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ArchiveLinks } from '../use-cases/ports/bulletin.ts';
import { s3Client } from './aws-clients.ts';

/**
 * Download links to archived bulletin files: presigned S3 GETs (SigV4, 7 days at most). A
 * URL signed with temporary credentials (a Lambda role's) stops working when they expire,
 * whatever it says; docs/deploy.md states the consequence.
 */
export class PresignedArchiveLinks implements ArchiveLinks {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = s3Client(),
  ) {}

  link(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: expiresInSeconds,
    });
  }
}
