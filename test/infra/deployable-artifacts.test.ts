import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { composeArchive } from '../../functions/bulletin/compose-bulletin.ts';
import { encodeEventKey } from '../../functions/core/s3-event-key.ts';
import { ARCHIVE_BUCKET, ENV, METRICS, TABLE, UPLOADS_BUCKET } from '../../functions/shared/resources.ts';
import { filledWorkbook, putUpload, seedCatalog } from '../support/filled-uploads.ts';
import { useLocalAws } from '../support/local-aws.ts';
import {
  functionEnvironment,
  type Invocation,
  invoke,
  type StagedFunction,
  stageFunction,
} from './support/lambda-sandbox.ts';
import { type Synthesized, sharedSynth } from './support/synth-app.ts';
import { logicalIds, properties } from './support/template-queries.ts';

/**
 * What is deployed is what is tested: each function's synthesised bundle runs in a fresh
 * Node 22 process with only its asset folder, the runtime's SDK and its layer, and the
 * environment its template sets (names and endpoints pointed at the local stand-ins). January
 * goes through it end to end: two uploads (one as S3 sends it, one wrapped by SQS), the
 * scheduled bulletin, the next day's check.
 */

const local = useLocalAws();
let synth: Synthesized;
let functions: Record<'ingest' | 'bulletin' | 'check', StagedFunction>;
let outbox: string;
let keyDir: string;

beforeAll(async () => {
  synth = sharedSynth();
  functions = {
    ingest: stageFunction(synth, 'IngestFunction'),
    bulletin: stageFunction(synth, 'BulletinFunction'),
    check: stageFunction(synth, 'BulletinCheckFunction'),
  };
  outbox = mkdtempSync(join(tmpdir(), 'duban-outbox-'));
  keyDir = mkdtempSync(join(tmpdir(), 'duban-signing-'));
  await seedCatalog();
});

afterAll(() => {
  for (const dir of [...Object.values(functions ?? {}).map((f) => f.dir), outbox, keyDir]) {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

function run(fn: StagedFunction, event: unknown): Promise<Invocation> {
  const { names, endpoints } = local.aws;
  const env = functionEnvironment(
    fn,
    {
      [TABLE.envVar]: names.table,
      [UPLOADS_BUCKET.envVar]: names.uploadsBucket,
      [ARCHIVE_BUCKET.envVar]: names.archiveBucket,
      // What CloudFormation makes of the stack's role ids: one made-up id per department role.
      [ENV.uploadTrust]: JSON.stringify({ uploaderSetters: [], departmentRoles: { fgw: 'AROAFGWEXAMPLE' } }),
      // The portal's address, an API Gateway attribute CloudFormation resolves at deploy time.
      [ENV.portalUrl]: 'https://portal.example.gov.cn/',
      // KMS is not reachable here: the bundle signs the chain with a key file, as locally.
      [ENV.signingKeyId]: '',
    },
    {
      [ENV.dynamoEndpoint]: endpoints.dynamodb,
      [ENV.s3Endpoint]: endpoints.s3,
      [ENV.region]: 'us-east-1',
      [ENV.outboxDir]: outbox,
      [ENV.signingKeyFile]: join(keyDir, 'archive-signing-key.pem'),
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    },
  );
  return invoke(fn, env, event);
}

/** The notification S3 sends for a new object (keys URL-encoded, as S3 does). */
async function uploadOf(dept: string, file: string) {
  const bucket = local.aws.names.uploadsBucket;
  const key = await putUpload(
    bucket,
    dept,
    '2023-01',
    file,
    await filledWorkbook(await seedCatalog(), dept, 1),
  );
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        eventTime: '2023-02-02T01:00:00.000Z',
        userIdentity: { principalId: `AWS:${dept}` },
        s3: { bucket: { name: bucket }, object: { key: encodeEventKey(key), sequencer: `00${dept}` } },
      },
    ],
  };
}

const metric = (invocation: Invocation, name: string) => invocation.metrics.find((m) => name in m)?.[name];

describe('the deployed functions, run from their bundles', () => {
  it('ingest answers an S3 notification with a receipt, a log line for the upload and a metric', async () => {
    // Prepare
    const event = await uploadOf('fgw', '一月 报送.xlsx');

    // Act
    const ran = await run(functions.ingest, event);

    // Assess
    expect(ran.error).toBeUndefined();
    const { receipts } = ran.result as {
      receipts: { status: string; dept: string; objects: { receipt: string } }[];
    };
    expect(receipts.map((r) => [r.status, r.dept])).toEqual([['accepted', 'fgw']]);
    expect(await createStores().submissions.latest('fgw', '2023-01')).toMatchObject({ version: 1 });
    expect(ran.logs).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'upload accepted',
        service: METRICS.services.ingest,
        uploadKey: 'incoming/fgw/2023-01/一月 报送.xlsx',
        function_request_id: expect.stringMatching(/^artifact-/),
      }),
    );
    expect(metric(ran, METRICS.uploads.accepted)).toBe(1);
  });

  it('ingest answers the same notification wrapped in an SQS message', async () => {
    // Prepare
    const s3Event = await uploadOf('gxj', 'gxj-2023-01.xlsx');
    const event = { Records: [{ eventSource: 'aws:sqs', messageId: 'm-1', body: JSON.stringify(s3Event) }] };

    // Act
    const ran = await run(functions.ingest, event);

    // Assess
    expect(ran.error).toBeUndefined();
    expect((ran.result as { receipts: { status: string }[] }).receipts.map((r) => r.status)).toEqual([
      'accepted',
    ]);
    expect(await createStores().submissions.latest('gxj', '2023-01')).toMatchObject({ version: 1 });
  });

  it('the bulletin issues the month from the scheduler event, archives it and mails the leaders', async () => {
    // Act
    const ran = await run(functions.bulletin, {
      source: 'duban.schedule',
      // The seed catalog's rule on the official calendar: due Monday 6 February (the 4th is a
      // Saturday), bulletin the next working day at 08:00 Beijing time.
      scheduledTime: '2023-02-07T00:00:00Z',
    });

    // Assess
    expect(ran.error).toBeUndefined();
    expect(ran.result).toMatchObject({ status: 'issued', period: '2023-01', version: 1 });
    const [stored] = await composeArchive().list('2023-01');
    expect(stored?.manifest.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['bulletin.pdf', 'bulletin.xlsx', 'depts/fgw.pdf']),
    );
    expect((await createStores().ledger.runs('2023-01')).map((r) => r.state)).toEqual(['delivered']);
    const mails = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    // One to the leaders; each department with an address gets its own slice (「…分册」).
    const bulletinMails = mails.filter((f) => !f.includes('报送回执'));
    expect(bulletinMails.filter((f) => !f.includes('分册'))).toHaveLength(1);
    expect(bulletinMails.filter((f) => f.includes('分册')).length).toBeGreaterThan(0);
    // The bundled ingest answered each upload of a department with an address by mail.
    expect(mails.filter((f) => f.includes('报送回执')).length).toBeGreaterThan(0);
    expect(metric(ran, METRICS.bulletins.issued)).toBe(1);
    expect(ran.logs).toContainEqual(
      expect.objectContaining({ message: 'bulletin issued', period: '2023-01' }),
    );
  });

  it('the check reports the month as issued, on the very metric and dimensions the alarm watches', async () => {
    // Act
    const ran = await run(functions.check, { scheduledTime: '2023-02-08T02:00:00Z' });

    // Assess
    expect(ran.error).toBeUndefined();
    expect(ran.result).toEqual({ period: '2023-01', missing: false, latestVersion: 1, delivered: true });
    const emf = ran.metrics.find((m) => METRICS.bulletinMissing in m) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
    };
    expect(emf[METRICS.bulletinMissing]).toBe(0);
    const alarmId = logicalIds(synth.stateless, 'AWS::CloudWatch::Alarm').find(
      (id) => properties(synth.stateless, id).MetricName === METRICS.bulletinMissing,
    );
    const alarm = properties(synth.stateless, alarmId ?? '') as {
      Namespace: string;
      Dimensions: { Name: string; Value: string }[];
    };
    const directive = emf._aws.CloudWatchMetrics[0];
    expect(directive?.Namespace).toBe(alarm.Namespace);
    expect([...(directive?.Dimensions[0] ?? [])].sort()).toEqual(alarm.Dimensions.map((d) => d.Name).sort());
    for (const d of alarm.Dimensions) expect(emf[d.Name]).toBe(d.Value);
  });
});
