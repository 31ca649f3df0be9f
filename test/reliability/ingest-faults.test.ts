import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { dynamoDocument } from '../../functions/adapters/aws-clients.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { composeIngest } from '../../functions/ingest/compose-ingest.ts';
import { handler as ingestHandler, parseUploadEvent } from '../../functions/ingest/handler.ts';
import { keys } from '../../functions/shared/storage-keys.ts';
import { ingestUpload } from '../../functions/use-cases/ingest/ingest-upload.ts';
import type { SubmissionStore } from '../../functions/use-cases/ports/storage.ts';
import { createS3EventDispatcher } from '../../lib/local/s3-event-dispatcher.ts';
import { useLocalAws } from '../support/local-aws.ts';
import { eventRecorder, filledWorkbook, putUpload, seedCatalog, stateOf } from './upload-fixtures.ts';

/**
 * S3 delivers events at least once and Lambda may die anywhere: ingest must end in the
 * same state however often, and wherever, it was interrupted.
 */

const recorder = eventRecorder();
const local = useLocalAws({ onObjectCreated: recorder.onObjectCreated });

class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

const realDeps = composeIngest;

describe('ingest under at-least-once delivery', () => {
  it('reaches the same state when every S3 event is delivered three times', async () => {
    // Prepare
    const catalog = await seedCatalog();
    const bucket = local.aws.names.uploadsBucket;
    const period = '2023-04';
    await local.aws.uploads?.drain();
    recorder.events.length = 0;
    await putUpload(bucket, 'fgw', period, 'fgw.xlsx', await filledWorkbook(catalog, 'fgw', 4));
    await putUpload(bucket, 'wlj', period, 'wlj.xlsx', await filledWorkbook(catalog, 'wlj', 4));
    const bad = await filledWorkbook(catalog, 'zjj', 4, (r) =>
      r.code === 'CITY-ALLEY-PAVING' ? { ...r, value: '待统计' } : r,
    );
    await putUpload(bucket, 'zjj', period, 'zjj.xlsx', bad);
    await local.aws.uploads?.drain();
    const events = [...recorder.events];
    expect(events).toHaveLength(3);

    // Act
    const first = await Promise.all(events.map((e) => ingestHandler(e)));
    const once = await stateOf(bucket, period);
    for (let delivery = 2; delivery <= 3; delivery++) {
      for (const e of events) await ingestHandler(e);
    }
    const thrice = await stateOf(bucket, period);

    // Assess
    expect(first.map((r) => r.receipts[0]?.status)).toEqual(['accepted', 'accepted', 'rejected']);
    expect(once.submissions.map((s) => `${s.dept} v${s.version}`)).toEqual(['fgw v1', 'wlj v1']);
    expect(once.audit).toHaveLength(3);
    expect(thrice).toEqual(once);
    // Each upload answered by one receipt mail, not one per delivery.
    const receiptMails = (await readdir(path.join(local.dataDir, 'outbox'))).filter((f) =>
      f.includes('报送回执'),
    );
    expect(receiptMails).toHaveLength(3);
  });

  it('loses nothing when it dies after the raw copy and before the submission write, then is redelivered', async () => {
    // Prepare
    const catalog = await seedCatalog();
    const bucket = local.aws.names.uploadsBucket;
    const period = '2023-05';
    const bytes = await filledWorkbook(catalog, 'rsj', 5);
    recorder.events.length = 0;
    const key = await putUpload(bucket, 'rsj', period, 'rsj.xlsx', bytes);
    await local.aws.uploads?.drain();
    const [upload] = parseUploadEvent(recorder.events[0]);
    if (!upload) throw new Error('no upload event');
    const deps = realDeps();
    const dying: SubmissionStore = {
      ...deps.submissions,
      versions: (d, p) => deps.submissions.versions(d, p),
      latest: (d, p) => deps.submissions.latest(d, p),
      latestForPeriod: (p) => deps.submissions.latestForPeriod(p),
      allForPeriod: (p) => deps.submissions.allForPeriod(p),
      put: async () => {
        throw new SimulatedCrash('Lambda ran out of time before the submission write');
      },
    };

    // Act
    await expect(ingestUpload({ ...deps, submissions: dying }, upload)).rejects.toThrow(SimulatedCrash);
    const afterCrash = await stateOf(bucket, period);
    const receipt = await ingestUpload(realDeps(), upload);
    const afterRetry = await stateOf(bucket, period);

    // Assess
    const objects = createObjectStore();
    const raw = afterCrash.objects.find((o) => o.key.startsWith('raw/'));
    expect(raw, 'the original is kept before anything can fail').toBeDefined();
    expect(afterCrash.submissions).toEqual([]);
    expect(afterCrash.audit).toEqual([]);
    expect(receipt?.status).toBe('accepted');
    expect(afterRetry.submissions.map((s) => `${s.dept} v${s.version}`)).toEqual(['rsj v1']);
    expect(afterRetry.audit.map((e) => e.action)).toEqual(['submission.accepted']);
    expect(Buffer.from(await objects.get(bucket, afterRetry.submissions[0]?.rawKey ?? ''))).toEqual(
      Buffer.from(bytes),
    );
    expect(Buffer.from(await objects.get(bucket, key))).toEqual(Buffer.from(bytes));
  });

  it('writes one version and one audit event when it dies after the submission write and is redelivered', async () => {
    // Prepare
    const catalog = await seedCatalog();
    const bucket = local.aws.names.uploadsBucket;
    const period = '2023-06';
    recorder.events.length = 0;
    await putUpload(bucket, 'czj', period, 'czj.xlsx', await filledWorkbook(catalog, 'czj', 6));
    await local.aws.uploads?.drain();
    const [upload] = parseUploadEvent(recorder.events[0]);
    if (!upload) throw new Error('no upload event');
    const deps = realDeps();
    const dyingAudit = {
      append: async () => {
        throw new SimulatedCrash('died before the audit append');
      },
      list: deps.audit.list.bind(deps.audit),
    };

    // Act
    await expect(ingestUpload({ ...deps, audit: dyingAudit }, upload)).rejects.toThrow(SimulatedCrash);
    const retried = await ingestUpload(realDeps(), upload);
    const state = await stateOf(bucket, period);

    // Assess
    expect(retried?.status).toBe('accepted');
    expect(state.submissions.map((s) => `${s.dept} v${s.version}`)).toEqual(['czj v1']);
    expect(state.audit.map((e) => e.action)).toEqual(['submission.accepted']);
  });

  it('gets through throttled DynamoDB writes: the delivery is retried, then succeeds', async () => {
    // Prepare
    const catalog = await seedCatalog();
    const bucket = local.aws.names.uploadsBucket;
    const period = '2023-07';
    recorder.events.length = 0;
    await putUpload(bucket, 'sthj', period, 'sthj.xlsx', await filledWorkbook(catalog, 'sthj', 7));
    await local.aws.uploads?.drain();
    const event = recorder.events[0];
    if (!event) throw new Error('no upload event');
    const client = dynamoDocument();
    const realSend = client.send.bind(client);
    const mock = mockClient(client);
    let throttled = 0;
    mock.send.callsFake(async (command: unknown) => {
      // Every conditional put is refused twice, as a table at its write capacity would.
      if (command instanceof PutCommand && throttled < 2) {
        throttled++;
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
          name: 'ProvisionedThroughputExceededException',
          $retryable: { throttling: true },
        });
      }
      return realSend(command as never);
    });
    // Lambda's asynchronous invocation: the failed event is retried (twice).
    const failures: unknown[] = [];
    const dispatcher = createS3EventDispatcher({
      bucket,
      prefix: 'incoming/',
      handler: async (e) => {
        try {
          return await ingestHandler(e);
        } catch (error) {
          failures.push(error);
          throw error;
        }
      },
    });

    // Act
    try {
      dispatcher.dispatch(event);
      await dispatcher.drain();
    } finally {
      mock.restore();
    }
    const state = await stateOf(bucket, period);

    // Assess
    expect(throttled).toBe(2);
    expect(failures.map((f) => (f as Error).name)).toEqual([
      'ProvisionedThroughputExceededException',
      'ProvisionedThroughputExceededException',
    ]);
    expect(dispatcher.deadLetters).toEqual([]);
    expect(state.submissions.map((s) => `${s.dept} v${s.version}`)).toEqual(['sthj v1']);
    expect(state.audit.map((e) => e.action)).toEqual(['submission.accepted']);
    expect(state.objects.some((o) => o.key.startsWith(`${keys.receiptsOf('sthj')}${period}/`))).toBe(true);
  });
});
