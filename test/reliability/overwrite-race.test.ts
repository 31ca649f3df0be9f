import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { handler as ingestHandler } from '../../functions/ingest/handler.ts';
import { keys } from '../../functions/shared/storage-keys.ts';
import { submitUpload } from '../../functions/use-cases/ingest/submit-upload.ts';
import { useLocalAws } from '../support/local-aws.ts';
import { eventRecorder, filledWorkbook, putUpload, seedCatalog, stateOf } from './upload-fixtures.ts';

/**
 * A department uploads, notices a mistake and uploads again at once: the second PUT can land
 * before ingest has read the first. No upload may then be lost, nor answered for with the
 * other one's bytes. The stand-in keeps no versions (as an unversioned bucket), which is the
 * harder case; on AWS the uploads bucket is versioned and ingest reads the version its event names.
 */

const recorder = eventRecorder();
const local = useLocalAws({ onObjectCreated: recorder.onObjectCreated });

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('two uploads racing for one key', () => {
  it('never answers the first upload with the second one’s bytes when both PUTs precede its event', async () => {
    // Prepare
    const catalog = await seedCatalog();
    const bucket = local.aws.names.uploadsBucket;
    const first = await filledWorkbook(catalog, 'fgw', 3);
    const second = await filledWorkbook(catalog, 'fgw', 3, (r) =>
      r.code === 'ECO-GDP' ? { ...r, value: Number(r.value) + 1 } : r,
    );
    await local.aws.uploads?.drain();
    recorder.events.length = 0;
    await putUpload(bucket, 'fgw', '2023-03', 'fgw-三月.xlsx', first);
    await putUpload(bucket, 'fgw', '2023-03', 'fgw-三月.xlsx', second);
    await local.aws.uploads?.drain();
    expect(recorder.events).toHaveLength(2);

    // Act
    const answers = [];
    for (const event of recorder.events) answers.push((await ingestHandler(event)).receipts[0]);
    const state = await stateOf(bucket, '2023-03');

    // Assess
    const [one, two] = answers;
    expect(one?.status).toBe('rejected');
    expect(one?.errors.map((e) => e.code)).toEqual(['upload-replaced']);
    expect(one?.source.sha256).not.toBe(sha(second));
    expect(two).toMatchObject({ status: 'accepted', version: 1, source: { sha256: sha(second) } });
    expect(state.submissions.map((s) => s.sourceSha256)).toEqual([sha(second)]);
    expect(state.audit.map((e) => e.action).sort()).toEqual(['submission.accepted', 'submission.rejected']);
  });

  it('gives every upload through duban a key of its own, so both reach raw/ with their own receipts', async () => {
    // Prepare
    const catalog = await seedCatalog();
    const bucket = local.aws.names.uploadsBucket;
    const objects = createObjectStore();
    const first = await filledWorkbook(catalog, 'gxj', 4);
    const firstCode = catalog.catalog.indicators.find((i) => i.dept === 'gxj' && i.kind === 'stock')?.code;
    const second = await filledWorkbook(catalog, 'gxj', 4, (r) =>
      r.code === firstCode ? { ...r, value: Number(r.value) + 1 } : r,
    );
    await local.aws.uploads?.drain();
    recorder.events.length = 0;
    const request = { dept: 'gxj', period: '2023-04', fileName: '工信局 4月.xlsx', uploader: 'gxj-clerk' };
    const now = new Date('2023-05-02T01:00:00Z');

    // Act
    const a = await submitUpload(objects, bucket, { ...request, bytes: first, now });
    const b = await submitUpload(objects, bucket, { ...request, bytes: second, now });
    await local.aws.uploads?.drain();
    const answers = [];
    for (const event of recorder.events) answers.push((await ingestHandler(event)).receipts[0]);

    // Assess
    expect(a.key).not.toBe(b.key);
    expect(answers.map((r) => [r?.status, r?.source.sha256])).toEqual([
      ['accepted', sha(first)],
      ['accepted', sha(second)],
    ]);
    expect(answers.map((r) => r?.objects.receipt)).toEqual([a.receiptKey, b.receiptKey]);
    for (const bytes of [first, second]) {
      expect(await objects.get(bucket, keys.raw(sha(bytes), 'xlsx'))).toEqual(new Uint8Array(bytes));
    }
    const head = await objects.head(bucket, a.key);
    expect(decodeURIComponent(head?.metadata?.filename ?? '')).toBe('工信局 4月.xlsx');
  });
});
