import type { S3Event } from 'aws-lambda';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { encodeEventKey } from '../../functions/core/s3-event-key.ts';

export interface PutEventOptions {
  /** Distinct per PUT: it becomes the event's sequencer and second of its time. */
  readonly sequence: number;
  /** The principal S3 names as having made the PUT. */
  readonly principalId?: string;
  /** Object metadata the client sent (the uploader, department, period it declares). */
  readonly metadata?: Record<string, string>;
}

/**
 * Puts an object into the stand-in's bucket and returns the S3 event AWS would send for it
 * (one PUT, its own sequencer, the key encoded as AWS encodes it), so a test can deliver it to
 * the ingest handler itself and control who the event says made the PUT.
 */
export async function putWithEvent(
  bucket: string,
  key: string,
  bytes: Uint8Array,
  options: PutEventOptions,
): Promise<S3Event> {
  const objects = createObjectStore();
  await objects.put(bucket, key, bytes, options.metadata ? { metadata: options.metadata } : {});
  const info = await objects.head(bucket, key);
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date(Date.UTC(2023, 6, 1, 8, 0, options.sequence)).toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: options.principalId ?? 'AWS:dept-user' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'r', 'x-amz-id-2': 'i' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'ingest',
          bucket: { name: bucket, ownerIdentity: { principalId: 'o' }, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: encodeEventKey(key),
            size: bytes.length,
            eTag: info?.etag?.replace(/"/g, '') ?? '',
            sequencer: `SEQ${String(options.sequence).padStart(8, '0')}`,
          },
        },
      },
    ],
  };
}
