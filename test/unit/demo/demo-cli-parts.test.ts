import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareDemoData } from '../../../bin/cli/demo/demo-environment.ts';
import { archiveFileName } from '../../../bin/cli/demo/demo-output.ts';
import {
  type DemoSummary,
  displayWidth,
  formatSummary,
  formatTable,
} from '../../../bin/cli/demo/demo-report.ts';
import { fillWorkbook, TemplateShapeError } from '../../../bin/cli/demo/fill-workbook.ts';
import type { DemoRun } from '../../../bin/cli/demo/run-demo.ts';
import { loadCatalogFile, seedCatalogPath } from '../../../functions/adapters/catalog-files.ts';
import { buildTemplate } from '../../../functions/adapters/workbook/template-writer.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import { loadWorkbook } from '../../support/template-workbooks.ts';

const NOW = new Date('2026-01-01T00:00:00Z');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'duban-demo-unit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the demo’s data directory', () => {
  it('takes an empty directory and marks it as the demo’s', async () => {
    // Act
    const outcome = await prepareDemoData(path.join(dir, 'data'), 2023, new Date('2026-01-01T00:00:00Z'));

    // Assess
    expect(outcome).toBe('fresh');
    expect(await readdir(path.join(dir, 'data'))).toEqual(['demo.json']);
  });

  it('replaces the stores of an earlier demo', async () => {
    // Prepare
    const data = path.join(dir, 'data');
    await prepareDemoData(data, 2023, NOW);
    await mkdir(path.join(data, 'dynamodb'), { recursive: true });
    await writeFile(path.join(data, 'dynamodb', 'old.ldb'), 'old');

    // Act
    const outcome = await prepareDemoData(data, 2023, NOW);

    // Assess
    expect(outcome).toBe('replaced');
    expect(await readdir(data)).toEqual(['demo.json']);
  });

  it('refuses a directory holding data the demo did not make, and touches nothing', async () => {
    // Prepare
    const data = path.join(dir, 'data');
    await mkdir(path.join(data, 'dynamodb'), { recursive: true });
    await writeFile(path.join(data, 'dynamodb', 'real.ldb'), 'precious');

    // Act / Assess
    await expect(prepareDemoData(data, 2023, NOW)).rejects.toThrow(UsageError);
    await expect(prepareDemoData(data, 2023, NOW)).rejects.toThrow(/--data/);
    expect(await readdir(path.join(data, 'dynamodb'))).toEqual(['real.ldb']);
  });
});

describe('file names in --out', () => {
  it('carry the period and version of every archived file', () => {
    // Act / Assess
    expect(archiveFileName('2023-03', 2, 'bulletin.pdf')).toBe('bulletin-2023-03-v2.pdf');
    expect(archiveFileName('2023-03', 2, 'bulletin.xlsx')).toBe('bulletin-2023-03-v2.xlsx');
    expect(archiveFileName('2023-03', 2, 'depts/fgw.pdf')).toBe('bulletin-2023-03-v2-fgw.pdf');
    expect(archiveFileName('2023-03', 2, 'manifest.json')).toBe('manifest-2023-03-v2.json');
  });
});

describe('the final table', () => {
  it('lines up columns holding Chinese, which takes two terminal columns a character', () => {
    // Act
    const table = formatTable(
      ['月份', 'status'],
      [
        ['2023-01', '欠进度'],
        ['2023-12', 'ok'],
      ],
    );

    // Assess
    const [header, rule, first, second] = table.split('\n');
    expect(displayWidth('欠进度')).toBe(6);
    expect(header).toBe('月份     status');
    expect(rule).toBe('───────  ──────');
    expect(first).toBe('2023-01  欠进度');
    expect(second).toBe('2023-12  ok');
  });
});

describe('the closing lines', () => {
  it('print every hint as `npx duban …`, which works outside npm scripts (#14 item 10)', async () => {
    // Prepare
    const catalog = await loadCatalogFile(seedCatalogPath(2023));
    const run = { year: 2023, dataDir: '.duban', catalog: { catalog }, months: [] } as unknown as DemoRun;
    const summary: DemoSummary = {
      year: 2023,
      dataDir: '.duban',
      outDir: 'out',
      elapsedMs: 1000,
      bulletins: [],
      uploads: { accepted: 0, rejected: 0, unchanged: 0 },
      incidents: {},
      headline: [],
      files: [],
      portalUsers: { file: '.duban/portal-users.txt', count: 22 },
    };

    // Act
    const text = formatSummary(run, summary);

    // Assess
    const commands = [...text.matchAll(/(\w+ )?duban (archive|audit|serve)\b/g)].map((m) => m[0]);
    expect(commands).toEqual([
      'npx duban archive',
      'npx duban archive',
      'npx duban audit',
      'npx duban serve',
    ]);
  });
});

/** wlj's May 2023 template of the seed catalog. */
async function wljMayTemplate(now: Date): Promise<Uint8Array> {
  const catalog = await loadCatalogFile(seedCatalogPath(2023));
  return buildTemplate({ catalog, catalogVersion: 1, dept: 'wlj', period: '2023-05', now });
}

describe('filling a template', () => {
  it('types the figures and notes into 本期值 and 情况说明 of the rows named by code, leaving _meta alone', async () => {
    // Prepare
    const template = await wljMayTemplate(new Date('2023-06-01T00:00:00Z'));

    // Act
    const filled = await fillWorkbook(template, [
      { code: 'ECO-TOURISTS', value: 276.9, note: '五一假期' },
      { code: 'ECO-TOURISM-REVENUE', value: '待统计' },
    ]);

    // Assess
    const wb = await loadWorkbook(filled);
    const rows = new Map<string, ExcelJS.Row>();
    wb.getWorksheet('填报')?.eachRow((row) => rows.set(row.getCell(1).text, row));
    expect(rows.get('ECO-TOURISTS')?.getCell(5).value).toBe(276.9);
    expect(rows.get('ECO-TOURISTS')?.getCell(6).value).toBe('五一假期');
    expect(rows.get('ECO-TOURISM-REVENUE')?.getCell(5).value).toBe('待统计');
    expect(rows.get('ECO-CULTURE-TOURISM-PROJECTS')?.getCell(5).value ?? null).toBeNull();
    expect(wb.getWorksheet('_meta')?.state).toBe('hidden');
  });

  it('refuses a row the template does not have', async () => {
    // Prepare
    const template = await wljMayTemplate(NOW);

    // Act / Assess
    await expect(fillWorkbook(template, [{ code: 'ECO-GDP', value: 1 }])).rejects.toThrow(TemplateShapeError);
  });
});
