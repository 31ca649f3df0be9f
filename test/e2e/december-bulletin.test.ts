import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoEnvironment, openDemoEnvironment } from '../../bin/cli/demo/demo-environment.ts';
import { runUpload, schedulerEvent } from '../../bin/cli/demo/run-demo.ts';
import { ensureCatalog } from '../../functions/adapters/ensure-catalog.ts';
import { composeArchive } from '../../functions/bulletin/compose-bulletin.ts';
import { handler as bulletinHandler } from '../../functions/bulletin/handler.ts';
import type { CatalogVersion } from '../../functions/core/catalog/catalog-schema.ts';
import { buildDemoScenario, type DemoUpload } from '../../functions/core/demo/demo-scenario.ts';
import { targetDisplay } from '../../functions/core/ingest/template-contract.ts';
import { handler as ingestHandler } from '../../functions/ingest/handler.ts';
import { assessCatalog } from '../support/assess-catalog.ts';
import { packageCalendar } from '../support/calendar.ts';

const calendar = packageCalendar();

/**
 * The year-end bulletin of the demo: a whole year of the demo's uploads through the real
 * ingest handler, then the real bulletin handler on the event EventBridge Scheduler sends
 * on 6 January 2024. December must show the work report's own figures, each with the
 * status the rules give it.
 */

let work: string;
let env: DemoEnvironment;
let catalog: CatalogVersion;
interface ProgressRow {
  readonly value: unknown;
  readonly rate: unknown;
  readonly status: unknown;
}

let rows: Map<string, ProgressRow>;
let pdfText: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'duban-december-'));
  env = await openDemoEnvironment(path.join(work, 'data'), ingestHandler);
  catalog = await ensureCatalog(env.stores, 2023, new Date('2023-01-01T01:00:00Z'), 'e2e');
  const uploads = buildDemoScenario(catalog.catalog, calendar)
    .months.flatMap((m) => m.steps)
    .filter((s): s is DemoUpload => s.kind === 'upload');
  for (const step of uploads) await runUpload(env, catalog, step);
  const summary = await bulletinHandler(
    schedulerEvent({ at: '2024-01-05T00:00:00.000Z', period: '2023-12', reissue: false }),
  );
  if (summary.status === 'not-scheduled') throw new Error('the December bulletin was not issued');
  const { files } = await composeArchive().get(summary.period, summary.version);
  const body = (name: string) => files.find((f) => f.file.name === name)?.body ?? new Uint8Array();

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(body('bulletin.xlsx')) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet('指标进度');
  const header = Array.from(sheet?.getRow(1).values as unknown[], (v) => String(v ?? ''));
  rows = new Map();
  sheet?.eachRow((row, n) => {
    if (n === 1) return;
    const cell = (name: string) => row.getCell(header.indexOf(name)).value;
    rows.set(String(cell('指标编码')), { value: cell('本期值'), rate: cell('完成率'), status: cell('状态') });
  });
  const pdf = await getDocumentProxy(body('bulletin.pdf'));
  pdfText = ((await extractText(pdf, { mergePages: true })).text as string).replace(/\s+/g, '');
}, 300_000);

afterAll(async () => {
  await env?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the December 2023 bulletin of the demo', () => {
  it('is built from the period the scheduler names: the month before 6 January 2024 in Beijing', () => {
    // Assess
    expect(rows.size).toBe(catalog.catalog.indicators.length);
  });

  it('shows the year-end figures of the work report in the Excel and the PDF', () => {
    // Assess
    // The report's result, or the target where the report gives none.
    for (const indicator of catalog.catalog.indicators) {
      expect(rows.get(indicator.code)?.value, indicator.code).toBe(
        indicator.reportedResult ?? targetDisplay(indicator),
      );
    }
    for (const figure of [
      '177.3亿元',
      '570个',
      '702万人次',
      '104.5亿元',
      '145.5%',
      '31769户',
      '4513人',
      '64.8%',
    ]) {
      expect(pdfText).toContain(figure);
    }
    const investment = rows.get('DYN-KEY-PROJECT-INVESTMENT');
    expect(Number(investment?.rate) * 100).toBeCloseTo(145.5, 1);
  });

  it('gives each indicator the status the rules give its December figure', () => {
    // Prepare
    const values = new Map(
      catalog.catalog.indicators.map((i) => [i.code, i.reportedResult ?? targetDisplay(i)]),
    );

    // Act
    const expected = assessCatalog(catalog.catalog, 12, values);

    // Assess
    for (const p of expected) expect(rows.get(p.code)?.status, p.code).toBe(p.status);
    // Worked by hand from the report: 177.3 ≥ 175; 104.5 of 71.82; 40 of 50 shops (20 points
    // short); 64.8% good-air days against 66%; 5th in the city against a target of 4th.
    expect(rows.get('ECO-GDP')?.status).toBe('已完成');
    expect(rows.get('DYN-KEY-PROJECT-INVESTMENT')?.status).toBe('已完成');
    expect(rows.get('ECO-FIRST-STORES')?.status).toBe('严重滞后');
    expect(rows.get('CITY-GOOD-AIR-DAYS')?.status).toBe('欠进度');
    expect(rows.get('ECO-RETAIL-RANK')?.status).toBe('欠进度');
    expect([...rows.values()].some((r) => r.status === '未报送')).toBe(false);
  });
});
