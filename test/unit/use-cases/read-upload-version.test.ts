import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../../functions/adapters/s3-object-store.ts';
import { NotFoundError, ObjectChangedError } from '../../../functions/core/errors.ts';
import { NO_TRUST } from '../../../functions/core/ingest/upload-identity.ts';
import { DEFAULT_LIMITS } from '../../../functions/core/ingest/upload-limits.ts';
import { parseUploadEvent } from '../../../functions/ingest/handler.ts';
import { keys } from '../../../functions/shared/storage-keys.ts';
import { fetchUpload } from '../../../functions/use-cases/ingest/fetch-upload.ts';
import type {
  ObjectInfo,
  ObjectStore,
  PutObjectOptions,
  ReadOptions,
} from '../../../functions/use-cases/ports/storage.ts';

/**
 * On AWS the uploads bucket is versioned: a second PUT of a key keeps the first as an older
 * version, and the event of each PUT names its own version. Ingest must read that version and
 * no other, and check it is the object the event describes (its ETag).
 */

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A versioned bucket in memory: every put is a new version; reads name one, or get the latest. */
class VersionedStore implements ObjectStore {
  readonly versions = new Map<string, { versionId: string; body: Uint8Array; etag: string }[]>();

  async put(_b: string, key: string, body: Uint8Array | string, _o?: PutObjectOptions): Promise<string> {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const list = this.versions.get(key) ?? [];
    list.push({ versionId: `v${list.length + 1}`, body: bytes, etag: md5(bytes) });
    this.versions.set(key, list);
    return sha(bytes);
  }

  private find(key: string, versionId?: string) {
    const list = this.versions.get(key) ?? [];
    return versionId ? list.find((v) => v.versionId === versionId) : list.at(-1);
  }

  async get(bucket: string, key: string, read: ReadOptions = {}): Promise<Uint8Array> {
    const v = this.find(key, read.versionId);
    if (!v) throw new NotFoundError(key);
    if (read.etag && read.etag !== v.etag) throw new ObjectChangedError(bucket, key, read.etag, v.etag);
    return v.body;
  }

  async head(
    _b: string,
    key: string,
    read: Pick<ReadOptions, 'versionId'> = {},
  ): Promise<ObjectInfo | undefined> {
    const v = this.find(key, read.versionId);
    return v && { key, size: v.body.length, etag: `"${v.etag}"`, versionId: v.versionId };
  }

  async list(): Promise<ObjectInfo[]> {
    return [];
  }
}

function s3Event(key: string, bytes: Uint8Array, versionId: string) {
  return {
    Records: [
      {
        eventName: 'ObjectCreated:Put',
        eventTime: '2023-04-02T01:00:00.000Z',
        s3: {
          bucket: { name: 'uploads' },
          object: { key, eTag: md5(bytes), versionId, sequencer: versionId },
        },
      },
    ],
  };
}

describe('reading the version an upload event names', () => {
  it('keeps each of two PUTs of one key under raw/ by its own bytes, whichever is the latest', async () => {
    // Prepare
    const store = new VersionedStore();
    const place = { dept: 'fgw', period: '2023-03', file: 'fgw.xlsx' };
    const key = keys.incoming(place);
    const first = new TextEncoder().encode('first upload');
    const second = new TextEncoder().encode('second upload');
    await store.put('uploads', key, first);
    await store.put('uploads', key, second);
    const [ref1] = parseUploadEvent(s3Event(key, first, 'v1'));
    const [ref2] = parseUploadEvent(s3Event(key, second, 'v2'));
    if (!ref1 || !ref2) throw new Error('no upload in the event');

    // Act
    const fetched1 = await fetchUpload(
      { objects: store, limits: DEFAULT_LIMITS, trust: NO_TRUST },
      ref1,
      place,
    );
    const fetched2 = await fetchUpload(
      { objects: store, limits: DEFAULT_LIMITS, trust: NO_TRUST },
      ref2,
      place,
    );

    // Assess
    expect(ref1.versionId).toBe('v1');
    expect([fetched1.source.sha256, fetched2.source.sha256]).toEqual([sha(first), sha(second)]);
    expect(await store.get('uploads', keys.raw(sha(first), 'xlsx'))).toEqual(first);
    expect(await store.get('uploads', keys.raw(sha(second), 'xlsx'))).toEqual(second);
  });
});

describe('the S3 object store reading one object version', () => {
  const client = new S3Client({
    region: 'cn-north-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const s3 = mockClient(client);
  const store = new S3ObjectStore(client);
  // The part of the SDK's stream body the adapter uses.
  const body = (text: string) =>
    ({ transformToByteArray: async () => new TextEncoder().encode(text) }) as unknown as NonNullable<
      GetObjectCommandOutput['Body']
    >;

  afterEach(() => s3.reset());

  it('asks S3 for exactly that version and for its ETag (If-Match)', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves({ Body: body('bytes'), ETag: '"abc"' });
    s3.on(HeadObjectCommand).resolves({ ContentLength: 5, ETag: '"abc"', VersionId: 'v7' });

    // Act
    const bytes = await store.get('uploads', 'incoming/fgw/2023-03/f.xlsx', { versionId: 'v7', etag: 'abc' });
    const info = await store.head('uploads', 'incoming/fgw/2023-03/f.xlsx', { versionId: 'v7' });

    // Assess
    expect(new TextDecoder().decode(bytes)).toBe('bytes');
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toMatchObject({
      VersionId: 'v7',
      IfMatch: '"abc"',
    });
    expect(s3.commandCalls(HeadObjectCommand)[0]?.args[0].input).toMatchObject({ VersionId: 'v7' });
    expect(info?.versionId).toBe('v7');
  });

  it('reports a changed object when S3 refuses the ETag (412) or returns another one', async () => {
    // Prepare
    const preconditionFailed = new S3ServiceException({
      name: 'PreconditionFailed',
      $fault: 'client',
      $metadata: { httpStatusCode: 412 },
    });
    s3.on(GetObjectCommand)
      .rejectsOnce(preconditionFailed)
      .resolvesOnce({ Body: body('other'), ETag: '"def"' });

    // Act
    const refused = store.get('uploads', 'k', { etag: 'abc' });
    const other = store.get('uploads', 'k', { etag: '"abc"' });

    // Assess
    await expect(refused).rejects.toBeInstanceOf(ObjectChangedError);
    await expect(other).rejects.toMatchObject({ name: 'ObjectChangedError', actualEtag: 'def' });
  });
});
