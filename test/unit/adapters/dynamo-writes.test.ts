import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createStores } from '../../../functions/adapters/dynamo-stores.ts';
import { TABLE_KEY_FAMILIES } from '../../../functions/shared/storage-keys.ts';
import { tinyCatalog } from '../../support/sample-catalog.ts';

/**
 * IAM lets the functions PutItem (and never UpdateItem, DeleteItem or BatchWriteItem), but it
 * cannot demand a condition expression: that every put only creates is the adapters' promise,
 * checked here for every write method of every store.
 */

const document = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);
const mock = mockClient(document);

afterEach(() => mock.reset());

describe('DynamoDB writes of the adapters', () => {
  it('are PutItem with attribute_not_exists on a key family of functions/shared, and nothing else', async () => {
    // Prepare
    mock.on(QueryCommand).resolves({ Items: [] });
    mock.on(PutCommand).resolves({});
    const stores = createStores(document, 'table');
    const at = '2023-04-01T00:00:00.000Z';

    // Act
    await stores.catalogs.put(tinyCatalog(), new Date(at));
    await stores.submissions.put({
      dept: 'fgw',
      period: '2023-03',
      version: 1,
      catalogYear: 2023,
      catalogVersion: 1,
      values: [],
      sourceSha256: 'a'.repeat(64),
      rawKey: 'raw/x.xlsx',
      sourceKey: 'incoming/fgw/2023-03/x.xlsx',
      uploader: 'clerk',
      receivedAt: at,
      status: 'accepted',
    });
    await stores.audit.append({
      eventId: 'e1',
      at,
      action: 'submission.accepted',
      actor: 'clerk',
      period: '2023-03',
      detail: {},
    });
    await stores.ledger.claim({
      period: '2023-03',
      version: 1,
      inputsHash: 'h',
      catalogYear: 2023,
      catalogVersion: 1,
      submissionVersions: {},
      claimedAt: at,
      folder: 'bulletins/2023/03/v1/',
    });
    await stores.ledger.archived('2023-03', 1, { at, manifestSha256: 'm' });
    await stores.ledger.delivered('2023-03', 1, { at, messages: [] });

    // Assess
    const writes = mock.calls().filter((c) => !(c.args[0] instanceof QueryCommand));
    expect(writes.map((c) => c.args[0].constructor.name)).toEqual(Array(6).fill('PutCommand'));
    for (const call of writes) {
      const input = (call.args[0] as PutCommand).input;
      expect(input.ConditionExpression).toBe('attribute_not_exists(#pk)');
      const pk = String(input.Item?.pk);
      expect(Object.values(TABLE_KEY_FAMILIES).some((f) => pk.startsWith(f))).toBe(true);
    }
  });
});
