import { beforeAll, describe, expect, it } from 'vitest';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import type { Receipt } from '../../functions/core/ingest/receipt.ts';
import type { Submission } from '../../functions/core/submission.ts';
import { handler } from '../../functions/ingest/handler.ts';
import { UPLOAD_METADATA } from '../../functions/shared/resources.ts';
import { keys } from '../../functions/shared/storage-keys.ts';
import {
  type BadUpload,
  buildBadUploads,
  CORPUS_DEPT,
  CORPUS_PERIOD,
  MAY_VALUES,
} from '../fixtures/bad-uploads.ts';
import { ingestCatalog } from '../fixtures/ingest-catalog.ts';
import { useLocalAws } from '../support/local-aws.ts';

const local = useLocalAws({ onObjectCreated: handler });

const may: Submission = {
  dept: CORPUS_DEPT,
  period: '2023-05',
  version: 1,
  catalogYear: 2023,
  catalogVersion: 1,
  values: [...MAY_VALUES],
  sourceSha256: 'f'.repeat(64),
  rawKey: keys.raw('f'.repeat(64), 'xlsx'),
  sourceKey: keys.incoming({ dept: CORPUS_DEPT, period: '2023-05', file: 'may.xlsx' }),
  uploader: 'test',
  receivedAt: '2023-06-02T08:00:00.000Z',
  status: 'accepted',
};

describe('the bad-upload corpus through the ingest handler', () => {
  let cases: BadUpload[] = [];
  const receipts = new Map<string, Receipt>();
  let submissionsBefore: Submission[] = [];
  let submissionsAfter: Submission[] = [];

  beforeAll(async () => {
    // Prepare
    const stores = createStores();
    await stores.catalogs.put(ingestCatalog(), new Date('2023-01-05T00:00:00Z'));
    await stores.submissions.put(may);
    cases = await buildBadUploads();
    submissionsBefore = [
      ...(await stores.submissions.allForPeriod(CORPUS_PERIOD)),
      ...(await stores.submissions.allForPeriod('2023-05')),
    ];
    const objects = createObjectStore();
    const bucket = local.aws.names.uploadsBucket;

    // Act
    for (const c of cases) {
      await objects.put(bucket, keys.incoming({ dept: c.dept, period: c.period, file: c.file }), c.bytes, {
        metadata: {
          ...(c.flags?.dept ? { [UPLOAD_METADATA.dept]: c.flags.dept } : {}),
          ...(c.flags?.period ? { [UPLOAD_METADATA.period]: c.flags.period } : {}),
        },
      });
    }
    await local.aws.uploads?.drain();
    // Receipts are found by the upload they answer, not by a key computed here.
    const written = (await objects.list(bucket, 'receipts/')).filter((o) => o.key.endsWith('.receipt.json'));
    const byKey = new Map<string, Receipt>();
    for (const o of written) {
      const receipt = JSON.parse(new TextDecoder().decode(await objects.get(bucket, o.key))) as Receipt;
      byKey.set(receipt.source.key, receipt);
    }
    for (const c of cases) {
      const receipt = byKey.get(keys.incoming({ dept: c.dept, period: c.period, file: c.file }));
      if (receipt) receipts.set(c.name, receipt);
    }
    submissionsAfter = [
      ...(await stores.submissions.allForPeriod(CORPUS_PERIOD)),
      ...(await stores.submissions.allForPeriod('2023-05')),
      ...(await stores.submissions.allForPeriod('2023-13')),
      ...(await stores.submissions.allForPeriod('2024-01')),
    ];
  });

  it('holds at least 30 uploads, every one rejected with a receipt', () => {
    // Assess
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((c) => !receipts.has(c.name)).map((c) => c.name)).toEqual([]);
    expect(local.aws.uploads?.deadLetters).toEqual([]);
    expect([...receipts.values()].filter((r) => r.status !== 'rejected').map((r) => r.source.key)).toEqual(
      [],
    );
  });

  it('reports the expected code and cell for each upload', () => {
    // Assess
    const mismatches = cases.flatMap((c) => {
      const receipt = receipts.get(c.name);
      const hit = receipt?.errors.find((e) => e.code === c.expect.code && e.cell === c.expect.cell);
      return hit
        ? []
        : [{ name: c.name, expected: c.expect, got: receipt?.errors.map((e) => `${e.code}@${e.cell}`) }];
    });
    expect(mismatches).toEqual([]);
  });

  it('writes messages in Chinese and English that name the cell', () => {
    // Assess
    for (const receipt of receipts.values()) {
      for (const error of receipt.errors) {
        expect(error.message_zh).toMatch(/[\u4e00-\u9fff]/);
        expect(error.message_en.length).toBeGreaterThan(10);
        if (error.cell) {
          expect(error.message_zh).toContain(error.cell);
          expect(error.message_en).toContain(error.cell);
        }
      }
    }
  });

  it('changes no submission and quarantines every file with its receipt', async () => {
    // Assess
    expect(submissionsAfter).toEqual(submissionsBefore);
    const quarantined = await createObjectStore().list(local.aws.names.uploadsBucket, 'quarantine/');
    for (const [name, receipt] of receipts) {
      // An oversized object is refused from its size and never downloaded: it stays in incoming/.
      if (name === 'oversized') {
        expect(receipt.objects.quarantine).toBeNull();
        expect(receipt.objects.raw).toBe(receipt.source.key);
        continue;
      }
      expect(quarantined.map((o) => o.key)).toContain(receipt.objects.quarantine);
    }
  });

  it('audits every rejection once', async () => {
    // Assess
    const events = await createStores().audit.list({});
    const rejected = events.filter((e) => e.action === 'submission.rejected');
    expect(rejected).toHaveLength(cases.length);
  });
});
