import { userInfo } from 'node:os';
import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { localPrincipal } from '../../../functions/core/ingest/upload-identity.ts';
import { decodeEventKey, encodeEventKey } from '../../../functions/core/s3-event-key.ts';
import { createS3EventDispatcher } from '../../../lib/local/s3-event-dispatcher.ts';

function standInEvent(key: string, bucket = 'uploads', eventName = 'ObjectCreated:Put'): unknown {
  // The shape s3rver emits (keys raw, not URL-encoded).
  return {
    Records: [
      {
        eventVersion: '2.0',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2023-02-03T01:02:03.000Z',
        eventName,
        s3: { bucket: { name: bucket }, object: { key, size: 10, eTag: 'abc', sequencer: '1' } },
      },
    ],
  };
}

/** A dispatcher on uploads/incoming/ whose handler throws what `failure` returns for its nth call. */
function countingDispatcher(failure: (call: number) => Error | undefined) {
  let calls = 0;
  const dispatcher = createS3EventDispatcher({
    bucket: 'uploads',
    prefix: 'incoming/',
    handler: async () => {
      calls++;
      const error = failure(calls);
      if (error) throw error;
    },
  });
  return { dispatcher, calls: () => calls };
}

describe('createS3EventDispatcher', () => {
  it('delivers object-created events under the prefix, with the key encoded as AWS does', async () => {
    // Prepare
    const seen: S3Event[] = [];
    const dispatcher = createS3EventDispatcher({
      bucket: 'uploads',
      prefix: 'incoming/',
      handler: async (e) => seen.push(e),
    });

    // Act
    dispatcher.dispatch(standInEvent('incoming/fgw/2023-01/一月 报表.xlsx'));
    dispatcher.dispatch(standInEvent('raw/abc.xlsx'));
    dispatcher.dispatch(standInEvent('incoming/fgw/2023-01/x.xlsx', 'archive'));
    dispatcher.dispatch(standInEvent('incoming/fgw/2023-01/x.xlsx', 'uploads', 'ObjectRemoved:Delete'));
    dispatcher.dispatch({ not: 'an event' });
    await dispatcher.drain();

    // Assess
    expect(seen).toHaveLength(1);
    const key = seen[0]?.Records[0]?.s3.object.key ?? '';
    expect(key).toBe('incoming/fgw/2023-01/%E4%B8%80%E6%9C%88+%E6%8A%A5%E8%A1%A8.xlsx');
    expect(decodeEventKey(key)).toBe('incoming/fgw/2023-01/一月 报表.xlsx');
    expect(seen[0]?.Records[0]?.eventTime).toBe('2023-02-03T01:02:03.000Z');
    // The stand-in authenticates no one: the event names the user it runs as.
    expect(seen[0]?.Records[0]?.userIdentity.principalId).toBe(localPrincipal(userInfo().username));
  });

  it('retries a failing handler twice, like Lambda asynchronous invocation, then keeps a dead letter', async () => {
    // Prepare
    const { dispatcher, calls } = countingDispatcher(() => new Error('boom'));

    // Act
    dispatcher.dispatch(standInEvent('incoming/a/2023-01/f.xlsx'));
    await dispatcher.drain();

    // Assess
    expect(calls()).toBe(3);
    expect(dispatcher.deadLetters).toHaveLength(1);
    expect(String(dispatcher.deadLetters[0]?.error)).toContain('boom');
  });

  it('succeeds on a retry without a dead letter', async () => {
    // Prepare
    const { dispatcher, calls } = countingDispatcher((call) =>
      call === 1 ? new Error('transient') : undefined,
    );

    // Act
    dispatcher.dispatch(standInEvent('incoming/a/2023-01/f.xlsx'));
    await dispatcher.drain();

    // Assess
    expect(calls()).toBe(2);
    expect(dispatcher.deadLetters).toHaveLength(0);
  });

  it('round-trips keys through the AWS encoding', () => {
    for (const key of ['incoming/a b/c+d/e%f.xlsx', 'incoming/发改委/2023-12/报表(1).xlsx']) {
      expect(decodeEventKey(encodeEventKey(key))).toBe(key);
    }
  });
});
