import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import {
  ENV,
  LOCAL_STAGE,
  localResourceNames,
  resourceEnvironment,
  TABLE,
  UPLOADS_BUCKET,
} from '../../functions/shared/resources.ts';
import { makePutsDurable } from './durable-s3rver-store.ts';
import { makeLongKeysFit } from './long-key-store.ts';
import {
  createS3EventDispatcher,
  type S3EventDispatcher,
  type S3EventHandler,
} from './s3-event-dispatcher.ts';

/**
 * The embedded local default: dynalite (DynamoDB on LevelDB) and s3rver (S3 on the
 * filesystem) on loopback, with the table and buckets of functions/shared/resources.ts. Nothing global
 * is changed: callers apply `env` where they want the SDK pointed at the stand-ins.
 */
export interface LocalAwsOptions {
  /** Data directory: dynamodb/ and s3/ live under it and survive restarts. */
  readonly dataDir: string;
  /** DynamoDB listens on `port`, S3 on `port + 1`; free ports when omitted. */
  readonly port?: number;
  readonly stage?: string;
  /** Receives object-created events for uploads (incoming/) as Lambda would. */
  readonly onObjectCreated?: S3EventHandler;
}

export interface LocalAws {
  readonly endpoints: { readonly dynamodb: string; readonly s3: string };
  readonly names: ReturnType<typeof localResourceNames>;
  /** Variables that point duban's functions (and the AWS SDK) at the stand-ins. */
  readonly env: Readonly<Record<string, string>>;
  /** Present when onObjectCreated was given. */
  readonly uploads?: S3EventDispatcher;
  stop(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

/** Where a data directory keeps the archive's Ed25519 signing key. */
export function localSigningKeyFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'keys', 'archive-signing-key.pem');
}

function listen(server: ReturnType<typeof dynalite>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: { close(cb: (err?: Error) => void): unknown }): Promise<void> {
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}

async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const attr = (a: { name: string; type: 'S' | 'N' }) => ({ AttributeName: a.name, AttributeType: a.type });
  const attributes = new Map<string, ReturnType<typeof attr>>();
  for (const a of [
    TABLE.partitionKey,
    TABLE.sortKey,
    ...TABLE.globalIndexes.flatMap((g) => [g.partitionKey, g.sortKey]),
  ]) {
    attributes.set(a.name, attr(a));
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes.values()],
        KeySchema: [
          { AttributeName: TABLE.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TABLE.globalIndexes.map((g) => ({
          IndexName: g.indexName,
          KeySchema: [
            { AttributeName: g.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: g.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  try {
    // A new table is CREATING for a moment even with createTableMs 0; callers may write at once.
    await waitUntilTableExists(
      { client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { TableName: tableName },
    );
  } finally {
    client.destroy();
  }
}

/** The folder of a data directory that holds the local DynamoDB: its presence means a store is there. */
export const LOCAL_DYNAMODB_DIR = 'dynamodb';

export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const dataDir = path.resolve(options.dataDir);
  const names = localResourceNames(options.stage ?? LOCAL_STAGE);
  const dynamoDir = path.join(dataDir, LOCAL_DYNAMODB_DIR);
  const s3Dir = path.join(dataDir, 's3');
  await mkdir(dynamoDir, { recursive: true });
  await mkdir(s3Dir, { recursive: true });

  const dynamo = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoPort = await listen(dynamo, options.port ?? 0);
  const s3 = new S3rver({
    address: LOOPBACK,
    port: options.port ? options.port + 1 : 0,
    directory: s3Dir,
    silent: true,
    allowMismatchedSignatures: true,
    vhostBuckets: false,
    configureBuckets: [{ name: names.uploadsBucket }, { name: names.archiveBucket }],
  });
  makePutsDurable(s3 as unknown as { store: unknown });
  makeLongKeysFit(s3 as unknown as { store: unknown });
  let s3Port: number;
  try {
    s3Port = (await s3.run()).port;
  } catch (error) {
    await close(dynamo);
    throw error;
  }

  const endpoints = { dynamodb: `http://${LOOPBACK}:${dynamoPort}`, s3: `http://${LOOPBACK}:${s3Port}` };
  await ensureTable(endpoints.dynamodb, names.table);

  const uploads = options.onObjectCreated
    ? createS3EventDispatcher({
        bucket: names.uploadsBucket,
        prefix: UPLOADS_BUCKET.prefixes.incoming,
        handler: options.onObjectCreated,
      })
    : undefined;
  if (uploads) s3.on('event', (event: unknown) => uploads.dispatch(event));

  const env = {
    ...resourceEnvironment(names),
    [ENV.dynamoEndpoint]: endpoints.dynamodb,
    [ENV.s3Endpoint]: endpoints.s3,
    [ENV.stage]: options.stage ?? LOCAL_STAGE,
    [ENV.region]: 'us-east-1',
    // Locally, notification mails become .eml files a person can open.
    [ENV.outboxDir]: path.join(dataDir, 'outbox'),
    // No authentication on loopback: the uploader the CLI or local portal sets is the identity.
    [ENV.uploadTrust]: JSON.stringify({ local: true }),
    // The archive's signing key lives with the data it signs (made on the first bulletin).
    [ENV.signingKeyFile]: localSigningKeyFile(dataDir),
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };

  let stopped = false;
  return {
    endpoints,
    names,
    env,
    uploads,
    async stop() {
      if (stopped) return;
      stopped = true;
      await uploads?.drain();
      await Promise.all([close(s3), close(dynamo)]);
    },
  };
}
