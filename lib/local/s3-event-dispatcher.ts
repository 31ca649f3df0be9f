import { userInfo } from 'node:os';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { localPrincipal } from '../../functions/core/ingest/upload-identity.ts';
import { encodeEventKey } from '../../functions/core/s3-event-key.ts';

/**
 * Delivers the stand-in's object-created notifications to the same handler AWS Lambda
 * invokes, the way S3 → Lambda asynchronous invocation does: one event per record, for
 * one bucket and key prefix, retried twice on failure, then kept as a dead letter.
 * This is the one place the local wiring lives.
 */
export type S3EventHandler = (event: S3Event) => Promise<unknown>;

export interface DeadLetter {
  readonly event: S3Event;
  readonly error: unknown;
  readonly attempts: number;
}

export interface S3EventDispatcherOptions {
  readonly bucket: string;
  readonly prefix: string;
  readonly handler: S3EventHandler;
  /** Lambda retries an asynchronous invocation twice before giving up. */
  readonly maxRetries?: number;
  readonly onDeadLetter?: (letter: DeadLetter) => void;
}

export interface S3EventDispatcher {
  /** Accepts an event as the stand-in emits it; returns at once (asynchronous invoke). */
  dispatch(event: unknown): void;
  /** Resolves when every delivery so far has finished (successfully or as a dead letter). */
  drain(): Promise<void>;
  readonly deadLetters: readonly DeadLetter[];
}

function isS3Event(event: unknown): event is S3Event {
  return typeof event === 'object' && event !== null && Array.isArray((event as S3Event).Records);
}

function matchesUpload(record: S3EventRecord, bucket: string, prefix: string): boolean {
  return (
    record.eventName.startsWith('ObjectCreated:') &&
    record.s3.bucket.name === bucket &&
    record.s3.object.key.startsWith(prefix)
  );
}

/**
 * The stand-in's record with its key encoded the way AWS encodes it, and the principal it made
 * up (a random id) replaced by the one thing the stand-in knows: the user it runs as.
 */
function asAwsRecord(record: S3EventRecord, principalId: string): S3EventRecord {
  return {
    ...record,
    userIdentity: { principalId },
    s3: { ...record.s3, object: { ...record.s3.object, key: encodeEventKey(record.s3.object.key) } },
  };
}

export function createS3EventDispatcher(options: S3EventDispatcherOptions): S3EventDispatcher {
  const maxRetries = options.maxRetries ?? 2;
  const principalId = localPrincipal(userInfo().username);
  const inFlight = new Set<Promise<void>>();
  const deadLetters: DeadLetter[] = [];

  async function deliver(event: S3Event): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
      try {
        await options.handler(event);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    const letter = { event, error: lastError, attempts: maxRetries + 1 };
    deadLetters.push(letter);
    options.onDeadLetter?.(letter);
  }

  return {
    dispatch(event) {
      if (!isS3Event(event)) return;
      for (const record of event.Records) {
        if (!matchesUpload(record, options.bucket, options.prefix)) continue;
        const delivery = deliver({ Records: [asAwsRecord(record, principalId)] }).finally(() =>
          inFlight.delete(delivery),
        );
        inFlight.add(delivery);
      }
    },
    async drain() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    deadLetters,
  };
}
