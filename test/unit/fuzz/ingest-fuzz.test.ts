import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFile, seedCatalogPath } from '../../../functions/adapters/catalog-files.ts';
import { annotatedCopyWriter } from '../../../functions/adapters/workbook/annotated-copy.ts';
import { buildTemplate } from '../../../functions/adapters/workbook/template-writer.ts';
import { createWorkbookReader } from '../../../functions/adapters/workbook/workbook-reader.ts';
import type { AuditEvent } from '../../../functions/core/audit-event.ts';
import { catalogContentHash } from '../../../functions/core/catalog/catalog-parse.ts';
import type { CatalogVersion } from '../../../functions/core/catalog/catalog-schema.ts';
import { NotFoundError, ObjectExistsError, VersionConflictError } from '../../../functions/core/errors.ts';
import type { Receipt } from '../../../functions/core/ingest/receipt.ts';
import type { Submission } from '../../../functions/core/submission.ts';
import { keys } from '../../../functions/shared/storage-keys.ts';
import { ingestUpload } from '../../../functions/use-cases/ingest/ingest-upload.ts';
import type {
  AuditLog,
  CatalogStore,
  ObjectInfo,
  ObjectStore,
  PutObjectOptions,
  SubmissionStore,
} from '../../../functions/use-cases/ports/storage.ts';
import { PROPERTY_TIMEOUT_MS, propertyRuns } from '../../support/property-runs.ts';

/**
 * Fuzzing ingest with workbooks a department could never be expected to produce: start
 * from a real template, then change cells to anything (text, formulas, huge or odd numbers,
 * dates, booleans), drop or rename sheets, or damage the zip itself. Whatever arrives,
 * ingest answers with a receipt (and a rejection names its reason), it never throws.
 */

const BUCKET = 'uploads';
const DEPT = 'fgw';
const PERIOD = '2023-03';

class MemoryObjects implements ObjectStore {
  readonly objects = new Map<string, { body: Uint8Array; info: ObjectInfo }>();
  async put(bucket: string, key: string, body: Uint8Array | string, options: PutObjectOptions = {}) {
    const id = `${bucket}/${key}`;
    if (options.ifNoneMatch && this.objects.has(id)) throw new ObjectExistsError(bucket, key);
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    this.objects.set(id, { body: bytes, info: { key, size: bytes.byteLength, metadata: options.metadata } });
    return createHash('sha256').update(bytes).digest('hex');
  }
  async get(bucket: string, key: string) {
    const o = this.objects.get(`${bucket}/${key}`);
    if (!o) throw new NotFoundError(`${bucket}/${key}`);
    return o.body;
  }
  async head(bucket: string, key: string) {
    return this.objects.get(`${bucket}/${key}`)?.info;
  }
  async list(bucket: string, prefix: string) {
    return [...this.objects.values()]
      .map((o) => o.info)
      .filter((i) => `${bucket}/${i.key}`.startsWith(`${bucket}/${prefix}`));
  }
}

class MemorySubmissions implements SubmissionStore {
  readonly all: Submission[] = [];
  async put(s: Submission) {
    if (this.all.some((x) => x.dept === s.dept && x.period === s.period && x.version === s.version)) {
      throw new VersionConflictError(`${s.dept} ${s.period}`, s.version);
    }
    this.all.push(s);
  }
  async versions(dept: string, period: string) {
    return this.all
      .filter((s) => s.dept === dept && s.period === period)
      .sort((a, b) => a.version - b.version);
  }
  async latest(dept: string, period: string) {
    return (await this.versions(dept, period)).at(-1);
  }
  async latestForPeriod(period: string) {
    const depts = new Set(this.all.filter((s) => s.period === period).map((s) => s.dept));
    return Promise.all([...depts].map(async (d) => (await this.latest(d, period)) as Submission));
  }
  async allForPeriod(period: string) {
    return this.all.filter((s) => s.period === period);
  }
}

class MemoryAudit implements AuditLog {
  readonly events = new Map<string, AuditEvent>();
  async append(e: AuditEvent) {
    if (this.events.has(e.eventId)) return false;
    this.events.set(e.eventId, e);
    return true;
  }
  async list() {
    return [...this.events.values()];
  }
}

let catalog: CatalogVersion;
let template: Uint8Array;

beforeAll(async () => {
  const parsed = await loadCatalogFile(seedCatalogPath(2023));
  catalog = {
    year: 2023,
    version: 1,
    contentHash: catalogContentHash(parsed),
    catalog: parsed,
    loadedAt: '2023-01-01T00:00:00Z',
  };
  template = await buildTemplate({
    catalog: parsed,
    catalogVersion: 1,
    dept: DEPT,
    period: PERIOD,
    now: new Date('2023-04-01T00:00:00Z'),
  });
});

let uploads = 0;

/** One upload through the whole ingest use case, on in-memory stores. */
async function ingest(bytes: Uint8Array): Promise<Receipt | undefined> {
  const objects = new MemoryObjects();
  const catalogs: CatalogStore = {
    put: async () => ({ version: catalog, unchanged: true }),
    get: async () => catalog,
    list: async () => [catalog],
  };
  const key = keys.incoming({ dept: DEPT, period: PERIOD, file: `fuzz-${++uploads}.xlsx` });
  await objects.put(BUCKET, key, bytes);
  return ingestUpload(
    {
      objects,
      submissions: new MemorySubmissions(),
      audit: new MemoryAudit(),
      catalogs,
      reader: createWorkbookReader(),
      annotator: annotatedCopyWriter,
    },
    { bucket: BUCKET, key, eventTime: '2023-04-02T01:00:00.000Z', sequencer: String(uploads) },
  );
}

function assertReceipt(receipt: Receipt | undefined): void {
  expect(receipt).toBeDefined();
  if (!receipt) return;
  expect(['accepted', 'rejected', 'unchanged']).toContain(receipt.status);
  if (receipt.status === 'rejected') expect(receipt.errors.length).toBeGreaterThan(0);
  else expect(receipt.errors).toEqual([]);
  for (const p of [...receipt.errors, ...receipt.warnings]) {
    expect(p.code).toBeTruthy();
    expect(p.message_zh).toMatch(/[\u4e00-\u9fff]/);
    expect(p.message_en).toBeTruthy();
  }
}

const cellValue: fc.Arbitrary<ExcelJS.CellValue> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom(
    '１２３．５',
    '1,234.5',
    '12.5亿元',
    '1773000万元',
    '12.5%',
    '待统计',
    '-0',
    '1e309',
    '=',
    '@SUM(1)',
    '\t=1',
    ' ',
    '开工',
    '未开工',
  ),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }),
  fc
    .tuple(
      fc.constantFrom('1+1', 'A1', 'SUM(E2:E9)', 'NOW()', '1/0'),
      fc.option(fc.oneof(fc.double(), fc.string())),
    )
    .map(([formula, result]) => (result === null ? { formula } : { formula, result })),
  fc
    .array(fc.string({ maxLength: 10 }), { maxLength: 3 })
    .map((texts) => ({ richText: texts.map((text) => ({ text })) })),
) as fc.Arbitrary<ExcelJS.CellValue>;

const cellEdit = fc.record({
  row: fc.integer({ min: 1, max: 12 }),
  column: fc.integer({ min: 1, max: 8 }),
  value: cellValue,
});

const sheetEdit = fc.constantFrom(
  'none',
  'drop-meta',
  'drop-data',
  'rename-data',
  'add-sheet',
  'clear-meta-values',
);

async function edited(
  edits: { row: number; column: number; value: ExcelJS.CellValue }[],
  sheet: string,
): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(template) as unknown as ExcelJS.Buffer);
  const data = wb.getWorksheet('填报');
  const meta = wb.getWorksheet('_meta');
  for (const e of edits) {
    const target = e.column === 8 && meta ? meta : data;
    if (target) target.getCell(e.row, e.column === 8 ? 2 : e.column).value = e.value;
  }
  if (sheet === 'drop-meta' && meta) wb.removeWorksheet(meta.id);
  if (sheet === 'drop-data' && data) wb.removeWorksheet(data.id);
  if (sheet === 'rename-data' && data) data.name = '填报 ';
  if (sheet === 'add-sheet') wb.addWorksheet('其他').getCell('A1').value = '多余';
  if (sheet === 'clear-meta-values' && meta) meta.getColumn(2).eachCell((c) => (c.value = null));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('ingest fuzzed with generated workbooks', () => {
  it(
    'answers every edited template with a receipt and never throws',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(cellEdit, { maxLength: 8 }), sheetEdit, async (edits, sheet) => {
          // Prepare
          const bytes = await edited(edits, sheet);

          // Act
          const receipt = await ingest(bytes);

          // Assess
          assertReceipt(receipt);
        }),
        propertyRuns('ingest: edited templates', 150, 20230221),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers damaged files (flipped bytes, truncation, broken zip parts) with a rejection receipt',
    async () => {
      const parts = Object.keys(unzipSync(template));
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({
              kind: fc.constant('flip' as const),
              at: fc.nat(),
              xor: fc.integer({ min: 1, max: 255 }),
            }),
            fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
            fc.record({
              kind: fc.constant('part' as const),
              part: fc.constantFrom(...parts),
              body: fc.uint8Array({ maxLength: 200 }),
            }),
            fc.record({ kind: fc.constant('random' as const), body: fc.uint8Array({ maxLength: 2000 }) }),
          ),
          async (damage) => {
            // Prepare
            let bytes: Uint8Array;
            if (damage.kind === 'flip') {
              bytes = Uint8Array.from(template);
              const at = damage.at % bytes.length;
              bytes[at] = (bytes[at] ?? 0) ^ damage.xor;
            } else if (damage.kind === 'truncate') {
              bytes = template.slice(0, damage.at % template.length);
            } else if (damage.kind === 'part') {
              const files = unzipSync(template);
              files[damage.part] = damage.body;
              bytes = zipSync(files);
            } else {
              bytes = damage.body;
            }

            // Act
            const receipt = await ingest(bytes);

            // Assess
            assertReceipt(receipt);
          },
        ),
        propertyRuns('ingest: damaged files', 150, 20240221),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
