import type { S3Event, SQSEvent } from 'aws-lambda';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import type { Receipt } from '../../functions/core/ingest/receipt.ts';
import { handler } from '../../functions/ingest/handler.ts';
import { keys } from '../../functions/shared/storage-keys.ts';
import { ingestCatalog } from '../fixtures/ingest-catalog.ts';
import { useLocalAws } from '../support/local-aws.ts';
import { FGW_VALUES, filledWorkbook } from '../support/raw-uploads.ts';
import { putWithEvent } from '../support/s3-put-event.ts';

// No onObjectCreated: each test invokes the handler itself, so it controls delivery.
const local = useLocalAws();

let sequence = 0;

/** Puts an upload and returns the S3 event S3 would send for it (one PUT, one sequencer). */
async function upload(dept: string, period: string, file: string, bytes: Uint8Array): Promise<S3Event> {
  sequence++;
  return putWithEvent(local.aws.names.uploadsBucket, keys.incoming({ dept, period, file }), bytes, {
    sequence,
  });
}

async function ingest(event: unknown): Promise<Receipt> {
  const { receipts } = await handler(event);
  expect(receipts).toHaveLength(1);
  return receipts[0] as Receipt;
}

describe('ingest handler against the local stand-ins', () => {
  beforeAll(async () => {
    await createStores().catalogs.put(ingestCatalog(), new Date('2023-01-05T00:00:00Z'));
  });

  it('accepts a valid upload: raw copy first, one version, receipt JSON and annotated copy, one audit event', async () => {
    // Prepare
    const bytes = await filledWorkbook('fgw', '2023-06', { ...FGW_VALUES, E2: '６０亿元', E3: '31,000' });
    const event = await upload('fgw', '2023-06', '发改委 6月.xlsx', bytes);
    const objects = createObjectStore();
    const bucket = local.aws.names.uploadsBucket;

    // Act
    const receipt = await ingest(event);

    // Assess
    expect(receipt).toMatchObject({
      status: 'accepted',
      version: 1,
      dept: 'fgw',
      period: '2023-06',
      errors: [],
    });
    expect(receipt.source.key).toBe('incoming/fgw/2023-06/发改委 6月.xlsx');
    expect(await objects.get(bucket, receipt.objects.raw)).toEqual(bytes);
    expect(receipt.objects.raw).toBe(keys.raw(receipt.source.sha256, 'xlsx'));
    const stored = JSON.parse(
      new TextDecoder().decode(await objects.get(bucket, receipt.objects.receipt)),
    ) as Receipt;
    expect(stored).toEqual(receipt);
    // Nothing to highlight in a clean upload: the receipt JSON is the whole answer.
    expect(receipt.objects.annotated).toBeNull();
    const latest = await createStores().submissions.latest('fgw', '2023-06');
    expect(latest?.values.find((v) => v.code === 'ECO-FAI')?.value).toBe(60);
    expect(latest?.values.find((v) => v.code === 'ECO-ENT')?.value).toBe(31000);
    const events = await createStores().audit.list({ period: '2023-06', dept: 'fgw' });
    expect(events.map((e) => e.action)).toEqual(['submission.accepted']);
  });

  it('treats a redelivered event as one upload: one version, one audit event, the same receipt', async () => {
    // Prepare
    const stores = createStores();
    const event = await upload(
      'gxj',
      '2023-06',
      'redelivered.xlsx',
      await filledWorkbook('gxj', '2023-06', { E2: 575 }),
    );

    // Act
    const [first, second] = await Promise.all([ingest(event), ingest(event)]);
    const third = await ingest(event);

    // Assess
    expect(first).toEqual(second);
    expect(third).toEqual(first);
    expect(await stores.submissions.versions('gxj', '2023-06')).toHaveLength(1);
    expect(await stores.audit.list({ period: '2023-06', dept: 'gxj' })).toHaveLength(1);
  });

  it('records a correction as a new version with the diff, and the same bytes under a new key as unchanged', async () => {
    // Prepare
    const stores = createStores();
    const corrected = await filledWorkbook('fgw', '2023-06', { ...FGW_VALUES, E2: 62.5, E6: '建成通车' });
    const correctionEvent = await upload('fgw', '2023-06', 'correction.xlsx', corrected);

    // Act
    const correction = await ingest(correctionEvent);
    const again = await ingest(await upload('fgw', '2023-06', 'correction-copy.xlsx', corrected));

    // Assess
    expect(correction.status).toBe('accepted');
    expect(correction.version).toBe(2);
    expect(correction.correction).toEqual({
      previousVersion: 1,
      changes: [
        { code: 'CITY-BRIDGE', name: '焦武路大沙河桥', before: '主体完成', after: '建成通车' },
        { code: 'ECO-FAI', name: '重点项目完成投资', before: 60, after: 62.5 },
      ],
    });
    expect(again).toMatchObject({ status: 'unchanged', version: 2 });
    expect(await stores.submissions.versions('fgw', '2023-06')).toHaveLength(2);
    const events = await stores.audit.list({ period: '2023-06', dept: 'fgw' });
    expect(events.map((e) => e.action)).toEqual([
      'submission.accepted',
      'submission.corrected',
      'submission.unchanged',
    ]);
    expect(events[1]?.detail.changes).toEqual(correction.correction?.changes);
  });

  it('keeps both of two concurrent uploads for one department and month as versions', async () => {
    // Prepare
    const stores = createStores();
    const events = await Promise.all(
      [580, 590, 600, 610].map(async (n) =>
        upload('gxj', '2023-07', `at-once-${n}.xlsx`, await filledWorkbook('gxj', '2023-07', { E2: n })),
      ),
    );

    // Act
    const receipts = await Promise.all(events.map((e) => ingest(e)));

    // Assess
    const versions = await stores.submissions.versions('gxj', '2023-07');
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3, 4]);
    expect(receipts.map((r) => r.version).sort()).toEqual([1, 2, 3, 4]);
    expect(new Set(versions.map((v) => v.values[0]?.value))).toEqual(new Set([580, 590, 600, 610]));
    for (const v of versions.filter((x) => x.version > 1)) {
      const previous = versions.find((x) => x.version === v.version - 1);
      expect(v.correction?.changes).toEqual([
        { code: 'ECO-5G', before: previous?.values[0]?.value, after: v.values[0]?.value },
      ]);
    }
  });

  it('accepts an SQS batch whose bodies are S3 events, and ignores the S3 test event', async () => {
    // Prepare
    const s3Event = await upload(
      'gxj',
      '2023-08',
      'via-sqs.xlsx',
      await filledWorkbook('gxj', '2023-08', { E2: 620 }),
    );
    const sqs = {
      Records: [
        { messageId: 'm0', eventSource: 'aws:sqs', body: JSON.stringify({ Event: 's3:TestEvent' }) },
        { messageId: 'm1', eventSource: 'aws:sqs', body: JSON.stringify(s3Event) },
      ],
    } as unknown as SQSEvent;

    // Act
    const receipt = await ingest(sqs);

    // Assess
    expect(receipt).toMatchObject({ status: 'accepted', dept: 'gxj', period: '2023-08', version: 1 });
  });

  it('accepts warnings without blocking: a fall explained in 情况说明 and an outlier', async () => {
    // Prepare: July after the June versions above (ECO-FAI 62.5, ECO-ENT 31000).
    const bytes = await filledWorkbook('fgw', '2023-07', {
      ...FGW_VALUES,
      E2: 55,
      F2: '统计口径调整,剔除重复计入项目',
      E3: 99000,
    });

    // Act
    const receipt = await ingest(await upload('fgw', '2023-07', 'july.xlsx', bytes));

    // Assess
    expect(receipt.status).toBe('accepted');
    expect(receipt.warnings.map((w) => `${w.code}@${w.cell}`).sort()).toEqual([
      'cumulative-decreased@E2',
      'outlier@E3',
    ]);
    const annotated = new ExcelJS.Workbook();
    const copy = await createObjectStore().get(
      local.aws.names.uploadsBucket,
      receipt.objects.annotated ?? '',
    );
    await annotated.xlsx.load(Buffer.from(copy) as unknown as ExcelJS.Buffer);
    expect(annotated.getWorksheet('回执')?.getCell('A1').value).toBe(receipt.summary_zh);
    expect(JSON.stringify(annotated.getWorksheet('填报')?.getCell('E3').note)).toContain('相差较大');
    const latest = await createStores().submissions.latest('fgw', '2023-07');
    expect(latest?.values.find((v) => v.code === 'ECO-FAI')).toEqual({
      code: 'ECO-FAI',
      value: 55,
      note: '统计口径调整,剔除重复计入项目',
    });
  });

  it('rejects a 10 MB note with a receipt and an audit event, quoting only the start of it', async () => {
    // Prepare: ~3.5 million varied Chinese characters (10 MB of UTF-8), which do not compress
    // past the zip-bomb guard's ratio as one phrase repeated would.
    let seed = 20230901;
    const note = Array.from({ length: 3_500_000 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return String.fromCharCode(0x4e00 + (seed % 0x5000));
    }).join('');
    const bytes = await filledWorkbook('fgw', '2023-09', { ...FGW_VALUES, F2: note });
    const objects = createObjectStore();

    // Act
    const receipt = await ingest(await upload('fgw', '2023-09', 'long-note.xlsx', bytes));

    // Assess
    expect(receipt.status).toBe('rejected');
    expect(receipt.errors.map((e) => `${e.code}@${e.cell}`)).toEqual(['note-too-long@F2']);
    expect(receipt.errors[0]?.message_zh).toContain(`${note.length} 字`);
    expect(JSON.stringify(receipt).length).toBeLessThan(20_000);
    expect(await objects.get(local.aws.names.uploadsBucket, receipt.objects.raw)).toEqual(bytes);
    const events = await createStores().audit.list({ period: '2023-09', dept: 'fgw' });
    expect(events.map((e) => e.action)).toEqual(['submission.rejected']);
    expect(await createStores().submissions.latest('fgw', '2023-09')).toBeUndefined();
  });

  it('rejects 10,000 unknown codes: the answer and audit event list 200 and count the rest, the S3 receipt keeps all', async () => {
    // Prepare
    const rows = Object.fromEntries(
      Array.from({ length: 10_000 }, (_, i) => [`A${i + 7}`, `ECO-X${String(i).padStart(5, '0')}`]),
    );
    const bytes = await filledWorkbook('fgw', '2023-10', { ...FGW_VALUES, ...rows });

    // Act
    const receipt = await ingest(await upload('fgw', '2023-10', 'many-codes.xlsx', bytes));

    // Assess
    expect(receipt.status).toBe('rejected');
    expect(receipt.errors).toHaveLength(200);
    expect(receipt.omitted).toEqual({ errors: 9800, warnings: 0 });
    expect(receipt.counts.errors).toBe(10_000);
    const stored = JSON.parse(
      new TextDecoder().decode(
        await createObjectStore().get(local.aws.names.uploadsBucket, receipt.objects.receipt),
      ),
    ) as Receipt;
    expect(stored.errors).toHaveLength(10_000);
    expect(stored.errors.every((e) => e.code === 'indicator-unknown')).toBe(true);
    const [event] = await createStores().audit.list({ period: '2023-10', dept: 'fgw' });
    expect(event?.action).toBe('submission.rejected');
    expect(event?.detail).toMatchObject({ errorsNotListed: 9800, receipt: receipt.objects.receipt });
  });

  it.each([
    ['225 characters', `fgw-2023-11-${'x'.repeat(208)}.xlsx`],
    ['245 bytes of Chinese', `${'发展和改革委员会十一月报表'.repeat(6)}两份.xlsx`],
  ])(
    'rejects a file name of %s, too long for its receipt key, answering under a shortened key (#14 item 5)',
    async (_, file) => {
      // Prepare: past the 160-byte limit, and past what the stand-in's disk takes as a file name
      // with s3rver's suffixes (233 bytes), which S3 itself takes.
      const bytes = await filledWorkbook('fgw', '2023-11', FGW_VALUES);

      // Act
      const receipt = await ingest(await upload('fgw', '2023-11', file, bytes));

      // Assess
      expect(receipt.status).toBe('rejected');
      expect(receipt.errors.map((e) => e.code)).toEqual(['upload-name-too-long']);
      expect(receipt.errors[0]?.message_zh).toContain('请改短文件名');
      expect(Buffer.byteLength(receipt.objects.receipt)).toBeLessThan(300);
      expect(receipt.objects.receipt).toBe(
        keys.uploadOutputs({ dept: 'fgw', period: '2023-11', file }, receipt.source.sha256).json,
      );
      const stored = await createObjectStore().get(local.aws.names.uploadsBucket, receipt.objects.receipt);
      expect(JSON.parse(new TextDecoder().decode(stored))).toEqual(receipt);
      expect(await createObjectStore().get(local.aws.names.uploadsBucket, receipt.objects.raw)).toEqual(
        bytes,
      );
      const events = await createStores().audit.list({ period: '2023-11', dept: 'fgw' });
      expect(events.at(-1)?.action).toBe('submission.rejected');
      expect(events.at(-1)?.detail).toMatchObject({ receipt: receipt.objects.receipt });
    },
  );

  it('records 填报人, 联系电话 and 审核人 from the signature block on the receipt and in the audit log', async () => {
    // Prepare
    const bytes = await filledWorkbook('fgw', '2023-12', {
      ...FGW_VALUES,
      I5: '张三',
      I6: '0371-12345678',
      I7: '李四',
    });

    // Act
    const receipt = await ingest(await upload('fgw', '2023-12', 'signed.xlsx', bytes));

    // Assess
    const signatures = { preparer: '张三', phone: '0371-12345678', reviewer: '李四' };
    expect(receipt).toMatchObject({ status: 'accepted', signatures });
    const [event] = await createStores().audit.list({ period: '2023-12', dept: 'fgw' });
    expect(event?.detail).toMatchObject({ signatures });
  });

  it('rejects a malformed event instead of guessing', async () => {
    // Act
    const outcome = handler({ Records: [{ nothing: true }] });

    // Assess
    await expect(outcome).rejects.toThrow();
  });
});
