import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Receipt } from '../../functions/core/ingest/receipt.ts';
import { runCli, startDubanLocal } from '../support/run-cli.ts';

/** Fills every 本期值 of a template with half its annual target (the first stage for milestones). */
async function fillHalf(
  template: string,
  out: string,
  override: Record<string, unknown> = {},
): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(template);
  const sheet = wb.getWorksheet('填报');
  if (!sheet) throw new Error(`${template} has no 填报 sheet`);
  sheet.eachRow((row, n) => {
    // Indicator rows only: the signature block beside the table has rows of its own.
    if (n === 1 || !row.getCell(1).value) return;
    const target = row.getCell(4).value;
    // Whole numbers suit every kind (counts of a deadline too); a stage row takes its target stage.
    row.getCell(5).value = typeof target === 'number' ? Math.floor(target / 2) : String(target);
  });
  for (const [cell, value] of Object.entries(override))
    sheet.getCell(cell).value = value as ExcelJS.CellValue;
  await wb.xlsx.writeFile(out);
}

describe('duban template / ingest / audit log', () => {
  let dir = '';
  const cli = (...args: string[]) => runCli([...args, '--data', path.join(dir, 'data')], { cwd: dir });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'duban-ingest-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('goes from template to receipt, then shows the audit trail', async () => {
    // Prepare
    const template = path.join(dir, 'fgw-2023-06.xlsx');
    const made = await cli('template', '--dept', 'fgw', '--period', '2023-06', '--out', template, '--json');
    expect(made.code).toBe(0);
    const filled = path.join(dir, 'fgw-filled.xlsx');
    await fillHalf(template, filled);
    const broken = path.join(dir, 'fgw-broken.xlsx');
    await fillHalf(template, broken, { E2: '不详' });

    // Act
    const accepted = await cli('ingest', filled, '--json');
    const unchanged = await cli('ingest', '--json', filled);
    const rejected = await cli('ingest', broken, '--json');
    const log = await cli('audit', 'log', '--period', '2023-06', '--json');

    // Assess
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout) as Receipt).toMatchObject({
      status: 'accepted',
      version: 1,
      errors: [],
    });
    expect(unchanged.code).toBe(0);
    expect(JSON.parse(unchanged.stdout) as Receipt).toMatchObject({ status: 'unchanged', version: 1 });
    expect(rejected.code).toBe(1);
    const receipt = JSON.parse(rejected.stdout) as Receipt;
    expect(receipt.status).toBe('rejected');
    expect(receipt.errors.map((e) => `${e.code}@${e.cell}`)).toEqual(['value-not-numeric@E2']);
    expect(receipt.errors[0]?.message_zh).toContain('不详');
    expect(log.code).toBe(0);
    const actions = (JSON.parse(log.stdout) as { events: { action: string; dept: string }[] }).events.map(
      (e) => e.action,
    );
    expect(actions).toEqual(['submission.accepted', 'submission.unchanged', 'submission.rejected']);
  });

  it('hands the department its receipt and annotated workbook with --out (#14 item 10)', async () => {
    // Prepare
    const template = path.join(dir, 'fgw-2023-08.xlsx');
    expect((await cli('template', '--dept', '发改委', '--period', '2023-08', '--out', template)).code).toBe(
      0,
    );
    const broken = path.join(dir, 'fgw-08-broken.xlsx');
    await fillHalf(template, broken, { E2: '不详' });
    const out = path.join(dir, 'handed-out');

    // Act
    const rejected = await cli('ingest', broken, '--out', out, '--json');

    // Assess
    expect(rejected.code).toBe(1);
    expect((await readdir(out)).sort()).toEqual([
      'fgw-08-broken.annotated.xlsx',
      'fgw-08-broken.receipt.json',
    ]);
    const receiptFile = 'fgw-08-broken.receipt.json';
    const annotatedFile = 'fgw-08-broken.annotated.xlsx';
    const receipt = JSON.parse(await readFile(path.join(out, receiptFile), 'utf8')) as Receipt;
    expect(receipt.errors.map((e) => `${e.code}@${e.cell}`)).toEqual(['value-not-numeric@E2']);
    const annotated = new ExcelJS.Workbook();
    await annotated.xlsx.readFile(path.join(out, annotatedFile));
    const note = annotated.getWorksheet('填报')?.getCell('E2').note;
    expect(JSON.stringify(note)).toContain('不详');
    expect(rejected.stderr).toContain(`wrote ${path.join(out, receiptFile)}`);
  });

  it('goes through a running `duban local` for the same data directory', async () => {
    // Prepare
    const data = path.join(dir, 'shared-data');
    const local = startDubanLocal(data);
    await local.started;
    const template = path.join(dir, 'gxj-2023-07.xlsx');
    await runCli(['template', '--dept', 'gxj', '--period', '2023-07', '--out', template, '--data', data]);
    const filled = path.join(dir, 'gxj-filled.xlsx');
    await fillHalf(template, filled);

    // Act
    const ingested = await runCli(['ingest', filled, '--json', '--data', data]);
    const log = await runCli(['audit', 'log', '--dept', 'gxj', '--json', '--data', data]);
    const stopped = await local.stop('SIGINT');

    // Assess
    expect(ingested.code).toBe(0);
    expect(JSON.parse(ingested.stdout) as Receipt).toMatchObject({ status: 'accepted', version: 1 });
    expect(local.stderr()).not.toContain('Error');
    const events = (JSON.parse(log.stdout) as { events: { action: string; period: string }[] }).events;
    expect(events.map((e) => [e.action, e.period])).toEqual([['submission.accepted', '2023-07']]);
    expect(stopped).toBe(0);
  });

  it('exits 1 without a stack trace for a CSV with no department or period', async () => {
    // Prepare
    const csv = path.join(dir, 'export.csv');
    await writeFile(csv, '指标编码,本期值\nECO-GDP,80\n');

    // Act
    const result = await cli('ingest', csv);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not-a-workbook');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('puts a flagged CSV through the handler so it is quarantined with a receipt', async () => {
    // Prepare
    const csv = path.join(dir, 'flagged.csv');
    await writeFile(csv, '指标编码,本期值\nECO-GDP,80\n');

    // Act
    const result = await cli('ingest', csv, '--dept', 'fgw', '--period', '2023-06', '--json');

    // Assess
    expect(result.code).toBe(1);
    const receipt = JSON.parse(result.stdout) as Receipt;
    expect(receipt.errors.map((e) => e.code)).toEqual(['not-a-workbook']);
    expect(receipt.objects.quarantine).toMatch(/^quarantine\/fgw\/2023-06\//);
  });

  it('accepts an emoji note with a warning naming cell and character, and the bulletin is still issued', async () => {
    // Prepare
    const template = path.join(dir, 'fgw-2023-07.xlsx');
    expect((await cli('template', '--dept', 'fgw', '--period', '2023-07', '--out', template)).code).toBe(0);
    const filled = path.join(dir, 'fgw-emoji.xlsx');
    await fillHalf(template, filled, { F2: '受强降雨影响，进度略有滞后😷' });

    // Act
    const ingested = await cli('ingest', filled, '--json');
    const bulletin = await cli('bulletin', '--period', '2023-07', '--json');

    // Assess
    expect(ingested.code).toBe(0);
    const receipt = JSON.parse(ingested.stdout) as Receipt;
    expect(receipt.status).toBe('accepted');
    const warning = receipt.warnings.find((w) => w.code === 'text-not-printable');
    expect(warning).toMatchObject({ cell: 'F2' });
    expect(warning?.message_zh).toContain('😷(U+1F637)');
    expect(bulletin.code).toBe(0);
    expect(JSON.parse(bulletin.stdout)).toMatchObject({ status: 'issued' });
    // Three CLI runs and a Chromium render: sized for a busy 2-core machine.
  }, 600_000);
});
