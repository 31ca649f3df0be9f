import {
  GetObjectRetentionCommand,
  ListObjectVersionsCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { ObjectHistory, ObjectRetention, ObjectVersionInfo } from '../use-cases/ports/archive-chain.ts';
import { s3Client } from './aws-clients.ts';

/**
 * Object versions, delete markers and Object Lock retention of a versioned, locked bucket.
 * The auditor role may call s3:ListBucketVersions and s3:GetObjectRetention (and nothing
 * that changes a lock).
 */
export class S3ObjectHistory implements ObjectHistory {
  constructor(private readonly client: S3Client = s3Client()) {}

  async versions(bucket: string, prefix: string): Promise<ObjectVersionInfo[]> {
    const out: ObjectVersionInfo[] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          Prefix: prefix,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
        }),
      );
      for (const v of page.Versions ?? []) {
        if (!v.Key || !v.VersionId) continue;
        out.push({
          key: v.Key,
          versionId: v.VersionId,
          isLatest: v.IsLatest === true,
          isDeleteMarker: false,
          lastModified: v.LastModified,
        });
      }
      for (const m of page.DeleteMarkers ?? []) {
        if (!m.Key || !m.VersionId) continue;
        out.push({
          key: m.Key,
          versionId: m.VersionId,
          isLatest: m.IsLatest === true,
          isDeleteMarker: true,
          lastModified: m.LastModified,
        });
      }
      const more = page.IsTruncated === true;
      keyMarker = more ? page.NextKeyMarker : undefined;
      versionMarker = more ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);
    return out;
  }

  async retention(bucket: string, key: string, versionId: string): Promise<ObjectRetention | undefined> {
    try {
      const out = await this.client.send(
        new GetObjectRetentionCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
      );
      if (!out.Retention) return undefined;
      return { mode: out.Retention.Mode, retainUntil: out.Retention.RetainUntilDate };
    } catch (error) {
      // An object without a lock answers 404 NoSuchObjectLockConfiguration: "no retention".
      if (error instanceof S3ServiceException && error.name === 'NoSuchObjectLockConfiguration')
        return undefined;
      throw error;
    }
  }
}
