import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type BackoffOptions, retryWithBackoff } from './retry.ts';

type WriteRequest = NonNullable<
  NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]
>[number];

/** DynamoDB accepts at most 25 requests per BatchWriteItem call. */
export const BATCH_LIMIT = 25;

/**
 * Writes every item, 25 per call, re-sending UnprocessedItems and retrying throttling with
 * exponential backoff and jitter up to a bound; then fails loudly (RetriesExhaustedError).
 */
export async function batchPutAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  options: BackoffOptions = {},
): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH_LIMIT) {
    let pending: WriteRequest[] = items.slice(i, i + BATCH_LIMIT).map((Item) => ({ PutRequest: { Item } }));
    await retryWithBackoff(
      `BatchWriteItem on ${tableName} (${pending.length} items)`,
      async () => {
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        const left = out.UnprocessedItems?.[tableName] ?? [];
        if (left.length === 0) return { done: true, value: undefined };
        pending = left;
        return { done: false };
      },
      options,
    );
  }
}
