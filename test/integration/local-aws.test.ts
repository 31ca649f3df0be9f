import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { S3Event } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { dynamoDocument, resetClients } from '../../functions/adapters/aws-clients.ts';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { keys } from '../../functions/shared/storage-keys.ts';
import { startLocalAws } from '../../lib/local/local-aws.ts';
import { tinyCatalog } from '../support/sample-catalog.ts';

const dirs: string[] = [];
const saved = { ...process.env };

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'duban-local-'));
  dirs.push(dir);
  return dir;
}

function pointAt(env: Readonly<Record<string, string>>): void {
  process.env = { ...saved, ...env };
  resetClients();
}

afterEach(async () => {
  process.env = { ...saved };
  resetClients();
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('startLocalAws', () => {
  it('keeps table items and objects across a stop and a start', async () => {
    // Prepare
    const dir = await dataDir();
    const first = await startLocalAws({ dataDir: dir });
    pointAt(first.env);
    await createStores().catalogs.put(tinyCatalog(), new Date('2023-01-01T00:00:00Z'));
    await createObjectStore().put(
      first.names.uploadsBucket,
      keys.raw('f'.repeat(64), 'xlsx'),
      'original bytes',
    );
    await first.stop();

    // Act
    const second = await startLocalAws({ dataDir: dir });
    pointAt(second.env);
    const catalog = await createStores().catalogs.get(2023);
    const raw = await createObjectStore().get(second.names.uploadsBucket, keys.raw('f'.repeat(64), 'xlsx'));
    await second.stop();

    // Assess
    expect(catalog?.version).toBe(1);
    expect(catalog?.catalog.district).toBe('测试区');
    expect(Buffer.from(raw).toString()).toBe('original bytes');
  });

  it('delivers an upload under incoming/ to the handler as an S3 event record', async () => {
    // Prepare
    const received: S3Event[] = [];
    const aws = await startLocalAws({
      dataDir: await dataDir(),
      onObjectCreated: async (e) => received.push(e),
    });
    pointAt(aws.env);

    // Act
    await createObjectStore().put(
      aws.names.uploadsBucket,
      keys.incoming({ dept: 'fgw', period: '2023-01', file: '一月.xlsx' }),
      'x',
    );
    await createObjectStore().put(aws.names.uploadsBucket, keys.raw('0'.repeat(64), 'xlsx'), 'not an upload');
    await new Promise((r) => setTimeout(r, 50));
    await aws.uploads?.drain();
    await aws.stop();

    // Assess
    expect(received).toHaveLength(1);
    const record = received[0]?.Records[0];
    expect(record?.eventName).toBe('ObjectCreated:Put');
    expect(record?.s3.bucket.name).toBe(aws.names.uploadsBucket);
    expect(decodeURIComponent(record?.s3.object.key ?? '')).toBe('incoming/fgw/2023-01/一月.xlsx');
    expect(record?.s3.object.size).toBe(1);
  });

  it('returns only once the table is ACTIVE on a fresh data directory', async () => {
    // Prepare
    const aws = await startLocalAws({ dataDir: await dataDir() });
    pointAt(aws.env);

    // Act
    const described = await dynamoDocument().send(new DescribeTableCommand({ TableName: aws.names.table }));
    await aws.stop();

    // Assess
    expect(described.Table?.TableStatus).toBe('ACTIVE');
    expect(described.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['gsi1']);
  });

  it('listens on the requested ports', async () => {
    // Prepare
    const port = 20000 + Math.floor(Math.random() * 20000);

    // Act
    const aws = await startLocalAws({ dataDir: await dataDir(), port });
    await aws.stop();

    // Assess
    expect(aws.endpoints).toEqual({
      dynamodb: `http://127.0.0.1:${port}`,
      s3: `http://127.0.0.1:${port + 1}`,
    });
  });
});
