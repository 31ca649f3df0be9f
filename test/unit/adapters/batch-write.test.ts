import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchPutAll } from '../../../functions/adapters/batch-write.ts';
import { backoffDelay } from '../../../functions/adapters/retry.ts';
import { RetriesExhaustedError } from '../../../functions/core/errors.ts';

const document = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(document);
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ pk: `P#${i}`, sk: 'S' }));
const throttled = () => new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });

describe('batchPutAll', () => {
  const sleeps: number[] = [];
  const options = { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5 };

  beforeEach(() => {
    ddb.reset();
    sleeps.length = 0;
  });

  it('splits into calls of 25 items', async () => {
    // Prepare
    ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });

    // Act
    await batchPutAll(document, 'T', items(60), options);

    // Assess
    const calls = ddb.commandCalls(BatchWriteCommand);
    expect(calls.map((c) => c.args[0].input.RequestItems?.T?.length)).toEqual([25, 25, 10]);
    expect(sleeps).toEqual([]);
  });

  it('re-sends only the UnprocessedItems, with backoff, until all are written', async () => {
    // Prepare
    const all = items(3);
    const left = [{ PutRequest: { Item: all[2] } }];
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { T: left } })
      .resolvesOnce({ UnprocessedItems: { T: left } })
      .resolves({ UnprocessedItems: {} });

    // Act
    await batchPutAll(document, 'T', all, options);

    // Assess
    const calls = ddb.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(3);
    expect(calls[1]?.args[0].input.RequestItems?.T).toEqual(left);
    expect(sleeps).toEqual([25, 50]);
  });

  it('retries throttling errors and then succeeds', async () => {
    // Prepare
    ddb.on(BatchWriteCommand).rejectsOnce(throttled()).resolves({ UnprocessedItems: {} });

    // Act
    await batchPutAll(document, 'T', items(2), options);

    // Assess
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(2);
  });

  it('fails loudly once the bound is reached', async () => {
    // Prepare
    ddb.on(BatchWriteCommand).rejects(throttled());

    // Act
    const result = batchPutAll(document, 'T', items(2), { ...options, maxAttempts: 4 });

    // Assess
    await expect(result).rejects.toThrow(RetriesExhaustedError);
    await expect(batchPutAll(document, 'T', items(2), { ...options, maxAttempts: 4 })).rejects.toThrow(
      /4 attempts.*ProvisionedThroughputExceededException/,
    );
  });

  it('does not retry an error that is not throttling', async () => {
    // Prepare
    ddb.on(BatchWriteCommand).rejects(new Error('ValidationException'));

    // Act / Assess
    await expect(batchPutAll(document, 'T', items(2), options)).rejects.toThrow('ValidationException');
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(1);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially, is capped, and is jittered by the random source', () => {
    expect(backoffDelay(0, { random: () => 0.999999 })).toBe(49);
    expect(backoffDelay(3, { random: () => 0.5 })).toBe(200);
    expect(backoffDelay(20, { random: () => 0.5, maxDelayMs: 1000 })).toBe(500);
    expect(backoffDelay(5, { random: () => 0 })).toBe(0);
  });
});
