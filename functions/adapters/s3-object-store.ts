import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { NotFoundError, ObjectChangedError, ObjectExistsError } from '../core/errors.ts';
import { bareEtag } from '../core/s3-event-key.ts';
import type { ObjectInfo, ObjectStore, PutObjectOptions, ReadOptions } from '../use-cases/ports/storage.ts';
import { s3Client } from './aws-clients.ts';

function isStatus(error: unknown, ...codes: number[]): boolean {
  return error instanceof S3ServiceException && codes.includes(error.$metadata.httpStatusCode ?? 0);
}

/**
 * ObjectStore on S3. `ifNoneMatch` never overwrites: AWS enforces `If-None-Match: *`
 * atomically; the local stand-in ignores that header, so a HEAD guards first (the only
 * writer of a given archive key is fenced by a conditional DynamoDB write anyway).
 */
export class S3ObjectStore implements ObjectStore {
  constructor(private readonly client: S3Client = s3Client()) {}

  async put(
    bucket: string,
    key: string,
    body: Uint8Array | string,
    options: PutObjectOptions = {},
  ): Promise<string> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const digest = createHash('sha256').update(bytes).digest();
    if (options.ifNoneMatch && (await this.head(bucket, key))) {
      throw new ObjectExistsError(bucket, key);
    }
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: bytes,
          ContentType: options.contentType,
          Metadata: { ...options.metadata, sha256: digest.toString('hex') },
          ChecksumSHA256: digest.toString('base64'),
          IfNoneMatch: options.ifNoneMatch ? '*' : undefined,
        }),
      );
    } catch (error) {
      // 412 Precondition Failed: another writer created the key between HEAD and PUT.
      if (options.ifNoneMatch && isStatus(error, 412, 409)) throw new ObjectExistsError(bucket, key);
      throw error;
    }
    return digest.toString('hex');
  }

  /**
   * With `read.etag`, S3 itself refuses another object (If-Match → 412); the stand-in ignores
   * If-Match, so the ETag of what came back is compared too.
   */
  async get(bucket: string, key: string, read: ReadOptions = {}): Promise<Uint8Array> {
    const expected = bareEtag(read.etag);
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          VersionId: read.versionId,
          IfMatch: expected ? `"${expected}"` : undefined,
        }),
      );
      if (!out.Body) throw new NotFoundError(`s3://${bucket}/${key} has no body`);
      if (expected && bareEtag(out.ETag) !== expected) {
        await out.Body.transformToByteArray();
        throw new ObjectChangedError(bucket, key, expected, bareEtag(out.ETag));
      }
      return await out.Body.transformToByteArray();
    } catch (error) {
      if (isStatus(error, 404)) throw new NotFoundError(`s3://${bucket}/${key} does not exist`);
      if (expected && isStatus(error, 412)) throw new ObjectChangedError(bucket, key, expected, undefined);
      throw error;
    }
  }

  async head(
    bucket: string,
    key: string,
    read: Pick<ReadOptions, 'versionId'> = {},
  ): Promise<ObjectInfo | undefined> {
    try {
      const out = await this.client.send(
        new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: read.versionId }),
      );
      return {
        key,
        size: out.ContentLength ?? 0,
        etag: out.ETag,
        versionId: out.VersionId,
        lastModified: out.LastModified,
        metadata: out.Metadata,
        contentType: out.ContentType,
      };
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async list(bucket: string, prefix: string): Promise<ObjectInfo[]> {
    const objects: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of out.Contents ?? []) {
        if (!o.Key) continue;
        objects.push({ key: o.Key, size: o.Size ?? 0, etag: o.ETag, lastModified: o.LastModified });
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return objects.sort((a, b) => a.key.localeCompare(b.key));
  }
}

export function createObjectStore(): ObjectStore {
  return new S3ObjectStore();
}
