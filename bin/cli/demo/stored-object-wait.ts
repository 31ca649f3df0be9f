import type { S3Event } from 'aws-lambda';
import { DubanError } from '../../../functions/core/errors.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { decodeEventKey } from '../../../lib/local/s3-event-dispatcher.ts';

/**
 * s3rver announces an object (and answers the PUT) when it has read the request body, not
 * when the file under it is flushed: its store resolves on the hashing stream's `finish`
 * and reads the size back with fs.stat. Under load a GET right after the event returns a
 * truncated object, which ingest rightly rejects as a damaged zip. In S3 an object is
 * complete when its event is sent, so before handing an event on, wait until the stand-in
 * serves the object at the size the event states.
 */
export class StoredObjectTimeoutError extends DubanError {
  override readonly name: string = 'StoredObjectTimeoutError';
}

export async function waitUntilStored(
  objects: ObjectStore,
  event: S3Event,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pollMs = options.pollMs ?? 10;
  for (const record of event.Records) {
    const { name: bucket } = record.s3.bucket;
    const key = decodeEventKey(record.s3.object.key);
    const size = record.s3.object.size;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await objects.head(bucket, key);
      if (info && (size === undefined || info.size >= size)) break;
      if (Date.now() > deadline) {
        throw new StoredObjectTimeoutError(
          `s3://${bucket}/${key}: the stand-in still serves ${info?.size ?? 'no'} bytes of ${size} after ${timeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}
