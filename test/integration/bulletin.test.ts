import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { composeBulletin, composeVerifier } from '../../functions/bulletin/compose-bulletin.ts';
import { type IssueBulletinDeps, issueBulletin } from '../../functions/use-cases/bulletin/issue-bulletin.ts';
import type { PdfRenderer } from '../../functions/use-cases/ports/bulletin.ts';
import {
  LATE_DEPT,
  seedCatalog,
  seedCorrection,
  seedOriginalText,
  seedSubmissions,
} from '../fixtures/bulletin/seed-inputs.ts';
import { useLocalAws } from '../support/local-aws.ts';
import { standInOriginal, storeOriginals } from '../support/raw-originals.ts';

// dynalite + s3rver, the real DynamoDB stores, S3 archive, exceljs and Chromium.
useLocalAws();
const catalog = seedCatalog();
const submissions = seedSubmissions(catalog, 6);
let outbox: string;
let deps: IssueBulletinDeps;

beforeAll(async () => {
  outbox = await mkdtemp(path.join(tmpdir(), 'duban-outbox-'));
  const stores = createStores();
  await stores.catalogs.put(catalog, new Date('2023-01-03T00:00:00Z'));
  for (const s of submissions) await stores.submissions.put(s);
  // 农业农村局 did not report June; it was reminded (催报) on 3 and 4 July, before the bulletin.
  for (const [point, scheduledFor] of [
    ['d-1', '2023-07-03T01:00:00.000Z'],
    ['d0', '2023-07-04T01:00:00.000Z'],
  ] as const) {
    const to = ['nyj@jiefang.example.gov.cn'];
    await stores.reminders.claim({
      period: '2023-06',
      point,
      recipient: LATE_DEPT,
      scheduledFor,
      claimedAt: scheduledFor,
      to,
    });
    await stores.reminders.sent('2023-06', point, LATE_DEPT, {
      at: scheduledFor,
      messageId: `<${point}@test>`,
    });
  }
  await storeOriginals(submissions.map((s) => standInOriginal(seedOriginalText(s))));
  deps = await composeBulletin({ outboxDir: outbox });
});
afterAll(async () => {
  await rm(outbox, { recursive: true, force: true });
});

async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(doc, { mergePages: true });
  return text.replace(/\s+/g, '');
}

describe('bulletin run against the local stand-ins', () => {
  it('issues v1 with real PDFs and workbook, archives them with a manifest and mails the leaders', async () => {
    // Act
    const result = await issueBulletin(deps, '2023-06', { issuedAt: new Date('2023-07-05T00:00:00Z') });

    // Assess
    expect(result).toMatchObject({ status: 'issued', version: 1, folder: 'bulletins/2023/06/v1/' });
    const { files } = await deps.archive.get('2023-06', 1);
    const pdf = files.find((f) => f.file.name === 'bulletin.pdf')?.body ?? new Uint8Array();
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain((result.headline[0] ?? 'none').replace(/\s+/g, ''));
    // The reporting table: read on the official calendar, with the reminders from the ledger.
    expect(text).toContain('未报送（已催报：7月3日、7月4日）');
    expect(text).toContain('本期报送截止日为2023年7月4日');
    const dept = files.find((f) => f.file.name === 'depts/wlj.pdf');
    expect(dept?.file.size).toBeGreaterThan(0);
    const xlsx = files.find((f) => f.file.name === 'bulletin.xlsx')?.body ?? new Uint8Array();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsx) as unknown as ArrayBuffer);
    expect(workbook.getWorksheet('指标进度')?.actualRowCount).toBe(catalog.indicators.length + 1);
    const summary = (workbook.getWorksheet('汇总')?.getSheetValues() ?? []) as unknown[][];
    const nyjRow = summary.find((r) => Array.isArray(r) && r.includes('农业农村局')) ?? [];
    expect(nyjRow).toContain('未报送（已催报：7月3日、7月4日）');
    const mails = await Promise.all(
      (await readdir(outbox)).map((m) => readFile(path.join(outbox, m), 'utf8')),
    );
    const toLeaders = mails.filter((m) => /^To: .*quzhang@jiefang\.example\.gov\.cn/m.test(m));
    expect(toLeaders).toHaveLength(1);
    // Each department with an address in the catalog gets its own slice, the same run.
    const withAddress = catalog.departments.filter(
      (d) => d.emails.length > 0 && files.some((f) => f.file.name === `depts/${d.id}.pdf`),
    );
    expect(mails).toHaveLength(1 + withAddress.length);
    expect(await composeVerifier()()).toMatchObject({
      ok: true,
      findings: [],
      chain: { links: 1, sealed: 1 },
    });
  });

  it('a re-run with unchanged inputs makes no new version', async () => {
    // Act
    const again = await issueBulletin(deps, '2023-06');

    // Assess
    expect(again).toMatchObject({ status: 'unchanged', version: 1 });
    expect((await deps.archive.list('2023-06')).length).toBe(1);
    expect((await createStores().ledger.runs('2023-06')).map((r) => [r.version, r.state])).toEqual([
      [1, 'delivered'],
    ]);
  });

  it('a correction makes v2 whose PDF says what changed since v1', async () => {
    // Prepare
    const correction = seedCorrection(catalog, submissions);
    await createStores().submissions.put(correction);
    await storeOriginals([standInOriginal(seedOriginalText(correction))]);

    // Act
    const v2 = await issueBulletin(deps, '2023-06');

    // Assess
    expect(v2).toMatchObject({ status: 'issued', version: 2, previousVersion: 1 });
    const { files } = await deps.archive.get('2023-06');
    const text = await pdfText(files.find((f) => f.file.name === 'bulletin.pdf')?.body ?? new Uint8Array());
    expect(text).toContain('较第1版，更正1项数据');
    expect((await deps.archive.list('2023-06')).map((v) => v.manifest.version)).toEqual([1, 2]);
  });

  it('two concurrent runs for one period produce one version (conditional write on the record)', async () => {
    // Prepare: the fencing is the subject here, so a quick stand-in renders the PDFs.
    const quickPdf = (): PdfRenderer => ({
      renderBulletin: async (m) => ({
        pdf: new TextEncoder().encode(`%PDF ${m.period} v${m.version}`),
        pages: 1,
      }),
      renderDepartment: async (m, d) => ({
        pdf: new TextEncoder().encode(`%PDF ${d} v${m.version}`),
        pages: 1,
      }),
      close: async () => {},
    });
    const fast = { ...deps, createPdfRenderer: quickPdf, pollMs: 20 };

    // Act
    const runs = await Promise.all([issueBulletin(fast, '2023-05'), issueBulletin(fast, '2023-05')]);

    // Assess
    expect(runs.map((r) => r.status).sort()).toEqual(['issued', 'unchanged']);
    expect(new Set(runs.map((r) => r.manifestSha256)).size).toBe(1);
    expect((await createStores().ledger.runs('2023-05')).map((r) => r.version)).toEqual([1]);
    expect((await deps.archive.list('2023-05')).map((v) => v.manifest.version)).toEqual([1]);
  });
});
