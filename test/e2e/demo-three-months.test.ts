import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetClients } from '../../functions/adapters/aws-clients.ts';
import { loadCatalogFile, seedCatalogPath } from '../../functions/adapters/catalog-files.ts';
import { createUserDirectory } from '../../functions/adapters/portal/dynamo-users.ts';
import { createPasswordSessions } from '../../functions/adapters/portal/password-sessions.ts';
import { isFloorToHold } from '../../functions/core/catalog/catalog-lookup.ts';
import type { Catalog } from '../../functions/core/catalog/catalog-schema.ts';
import { buildDemoScenario, type DemoScenario } from '../../functions/core/demo/demo-scenario.ts';
import { startLocalAws } from '../../lib/local/local-aws.ts';
import { packageCalendar } from '../support/calendar.ts';
import { runCli } from '../support/run-cli.ts';

const calendar = packageCalendar();

/**
 * The month cycle end to end, as a user runs it: `duban demo --months 3` in a child
 * process (templates, uploads through the local S3 and the real ingest handler, the real
 * bulletin handler), then the archive, the audit log and the files it produced are checked.
 */

interface DemoJson {
  ok: boolean;
  bulletins: { period: string; version: number; reissue: boolean; status: string }[];
  uploads: { accepted: number; rejected: number; unchanged: number };
  files: { period: string; kind: string; path: string }[];
}

interface ProgressRow {
  code: string;
  name: string;
  value: unknown;
  target: unknown;
  rate: unknown;
  expected: unknown;
  status: string;
  unit: string;
  corrected: string;
}

let work: string;
let dataDir: string;
let outDir: string;
let demo: DemoJson;
let catalog: Catalog;
let scenario: DemoScenario;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'duban-e2e-'));
  dataDir = path.join(work, 'data');
  outDir = path.join(work, 'out');
  catalog = await loadCatalogFile(seedCatalogPath(2023));
  scenario = buildDemoScenario(catalog, calendar, { months: 3 });
  const run = await runCli(['demo', '--months', '3', '--data', dataDir, '--out', outDir, '--json'], {
    timeoutMs: 240_000,
  });
  if (run.code !== 0) throw new Error(`duban demo exited ${run.code}: ${run.stderr}`);
  demo = JSON.parse(run.stdout) as DemoJson;
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const bulletinFile = (period: string, version: number, ext: string) =>
  path.join(outDir, period, `bulletin-${period}-v${version}.${ext}`);

async function progressRows(period: string, version: number): Promise<ProgressRow[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(bulletinFile(period, version, 'xlsx'));
  const sheet = workbook.getWorksheet('指标进度');
  if (!sheet) throw new Error('no 指标进度 sheet');
  const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 1) throw new Error(`指标进度 has no column ${name}`);
    return i;
  };
  const rows: ProgressRow[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const cell = (name: string) => row.getCell(col(name)).value;
    rows.push({
      code: String(cell('指标编码')),
      name: String(cell('指标名称')),
      value: cell('本期值'),
      target: cell('年度目标'),
      rate: cell('完成率'),
      expected: cell('序时进度'),
      status: String(cell('状态')),
      unit: String(cell('计量单位')),
      corrected: String(cell('较上版更正') ?? ''),
    });
  });
  return rows;
}

async function pdfText(file: string): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(await readFile(file)));
  const { text } = await extractText(pdf, { mergePages: true });
  return text;
}

/** A figure as the bulletin prints it: the number with its unit, a rank as 第N位, a stage as is. */
function printedValue(value: unknown, unit: string): string {
  if (typeof value !== 'number') return String(value);
  if (unit === '位') return `第${value}位`;
  return `${value}${unit}`;
}

/** A share printed as a percentage with one decimal, rounded half-up (145.5%, never 145.49999%). */
function printedShare(share: unknown): string {
  return typeof share === 'number'
    ? `${new Decimal(share).times(100).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toFixed(1)}%`
    : String(share);
}

/** The text of an indicator's table row: from "CODE · unit" up to its status (symbol and word). */
function rowText(text: string, row: ProgressRow): string {
  const flat = text.replace(/\s+/g, ' ');
  const start = flat.indexOf(`${row.code} · `);
  if (start === -1) throw new Error(`the PDF has no table row for ${row.code}`);
  // The status is printed with its symbol, so it survives grey-scale printing: "▼ 欠进度".
  const status = new RegExp(`[▲●▼×○★◆◇–] ${row.status}`, 'g');
  status.lastIndex = start;
  const found = status.exec(flat);
  if (!found) throw new Error(`the PDF row of ${row.code} does not show the status ${row.status}`);
  // Cells wrap inside the row (e.g. 市场监管\n局): compare without spaces.
  return flat.slice(start, found.index + found[0].length).replace(/ /g, '');
}

describe('duban demo over three months', () => {
  it('issues each month’s bulletin, re-issues the corrected month, and rejects the bad upload', () => {
    // Assess
    expect(demo.ok).toBe(true);
    expect(demo.bulletins.map((b) => `${b.period} v${b.version}${b.reissue ? ' reissue' : ''}`)).toEqual([
      '2023-01 v1',
      '2023-02 v1',
      '2023-02 v2 reissue',
      '2023-03 v1',
    ]);
    const planned = scenario.months.flatMap((m) => m.steps).filter((s) => s.kind === 'upload');
    expect(demo.uploads).toEqual({
      accepted: planned.filter((u) => u.expect === 'accepted').length,
      rejected: 1,
      unchanged: 0,
    });
  });

  it('copies every bulletin, department slice, manifest, receipt and mail with its period in the name', async () => {
    // Act
    const periods = await readdir(outDir);

    // Assess
    expect(periods.sort()).toEqual(['2023-01', '2023-02', '2023-03']);
    const reporting = catalog.departments.filter((d) => catalog.indicators.some((i) => i.dept === d.id));
    for (const period of periods) {
      const names = await readdir(path.join(outDir, period));
      for (const name of names) expect(name).toContain(period);
      const versions = demo.bulletins.filter((b) => b.period === period).map((b) => b.version);
      for (const v of versions) {
        const stem = `bulletin-${period}-v${v}`;
        expect(names).toContain(`${stem}.pdf`);
        expect(names).toContain(`${stem}.xlsx`);
        expect(names).toContain(`manifest-${period}-v${v}.json`);
        expect(names).toContain(`mail-${period}-v${v}.eml`);
        for (const d of reporting) expect(names).toContain(`${stem}-${d.id}.pdf`);
      }
      expect(names.some((n) => n.startsWith('receipt-') && n.endsWith('.receipt.json'))).toBe(true);
    }
  });

  it("opens the leaders' mail with the bulletin PDF attached, byte for byte the archived one", async () => {
    // Prepare
    const [first] = demo.bulletins;
    if (!first) throw new Error('no bulletin');
    const dir = path.join(outDir, first.period);

    // Act
    const mail = await simpleParser(
      await readFile(path.join(dir, `mail-${first.period}-v${first.version}.eml`)),
    );
    const pdf = await readFile(bulletinFile(first.period, first.version, 'pdf'));

    // Assess
    expect(mail.html).toBeTruthy();
    expect(mail.text).toContain('滞后指标及责任单位');
    const attached = mail.attachments.find((a) => a.contentType === 'application/pdf');
    expect(attached?.filename).toMatch(/进度通报.*-v1\.pdf$/);
    expect(attached?.content.equals(pdf)).toBe(true);
    const manifest = await readFile(path.join(dir, `manifest-${first.period}-v${first.version}.json`));
    const sha = (await import('node:crypto')).createHash('sha256').update(manifest).digest('hex');
    expect(mail.text).toContain(`sha256 ${sha}`);
  });

  it('reminds (催报) the department that did not report, and the office', async () => {
    // Prepare
    const missing = scenario.incidents.missing;
    if (!missing) throw new Error('the scenario has no missing department');
    const dept = catalog.departments.find((d) => d.id === missing.dept);

    // Act
    const names = await readdir(path.join(outDir, missing.period));
    const text = await pdfText(bulletinFile(missing.period, 1, 'pdf'));

    // Assess
    const reminders = names.filter((n) => n.startsWith(`reminder-${missing.period}-`));
    expect(reminders.filter((n) => n.endsWith(`-${missing.dept}.eml`)).length).toBeGreaterThan(0);
    expect(reminders.some((n) => n.endsWith('-_office.eml'))).toBe(true);
    expect(text).toContain(dept?.shortName ?? '?');
    // The bulletin's reporting table lists the days it was chased, read from the same ledger.
    expect(text.replace(/\s+/g, '')).toMatch(/未报送（已催报：\d+月\d+日(、\d+月\d+日)*）/);
  });

  it('shows the department that did not report as 未报送, in the Excel and the PDF', async () => {
    // Prepare
    const missing = scenario.incidents.missing;
    if (!missing) throw new Error('the scenario has no missing department');
    const dept = catalog.departments.find((d) => d.id === missing.dept);

    // Act
    const rows = await progressRows(missing.period, 1);
    const text = await pdfText(bulletinFile(missing.period, 1, 'pdf'));

    // Assess
    const theirs = rows.filter(
      (r) => catalog.indicators.find((i) => i.code === r.code)?.dept === missing.dept,
    );
    expect(theirs.length).toBeGreaterThan(0);
    for (const r of theirs) expect(r.status).toBe('未报送');
    expect(rows.filter((r) => r.status === '未报送')).toHaveLength(theirs.length);
    expect(text).toContain('未报送');
    expect(text).toContain(dept?.shortName ?? '?');
  });

  it('re-issues the corrected month as a new version that carries the new figure and says what changed', async () => {
    // Prepare
    const correction = scenario.incidents.correction;
    if (!correction) throw new Error('the scenario has no correction');

    // Act
    const before = await progressRows(correction.period, 1);
    const after = await progressRows(correction.period, 2);
    const text = (await pdfText(bulletinFile(correction.period, 2, 'pdf'))).replace(/\s+/g, '');

    // Assess
    expect(before.find((r) => r.code === correction.code)?.value).toBe(correction.wrong);
    expect(after.find((r) => r.code === correction.code)).toMatchObject({
      value: correction.right,
      corrected: '是',
    });
    expect(after.filter((r) => r.corrected === '是')).toHaveLength(1);
    expect(text).toContain('更正');
    expect(text).toContain(`${correction.wrong}`);
    expect(text).toContain(`${correction.right}`);
  });

  it('prints in every PDF exactly the figures of its Excel: value, target, completion, schedule, status', async () => {
    for (const b of demo.bulletins) {
      // Act
      const rows = await progressRows(b.period, b.version);
      const text = await pdfText(bulletinFile(b.period, b.version, 'pdf'));

      // Assess
      expect(rows).toHaveLength(catalog.indicators.length);
      for (const row of rows) {
        const where = `${b.period} v${b.version} ${row.code}`;
        const printed = rowText(text, row);
        expect(printed, where).toContain(printedValue(row.value, row.unit));
        expect(printed, where).toContain(printedValue(row.target, row.unit));
        if (typeof row.rate === 'number') expect(printed, where).toContain(printedShare(row.rate));
        // Milestones print the stage planned for the month where amounts print a share, rates
        // the rate to reach and a stock held at its baseline the level to hold.
        if (typeof row.expected === 'number' && row.unit !== '阶段') {
          const indicator = catalog.indicators.find((i) => i.code === row.code);
          const level = row.unit === '%' || (indicator !== undefined && isFloorToHold(indicator));
          const expected = level ? printedValue(row.expected, row.unit) : printedShare(row.expected);
          expect(printed, where).toContain(expected);
        }
      }
    }
  });

  it('keeps the rejected upload’s receipt, naming the cell, the indicator and the reason in Chinese', async () => {
    // Prepare
    const rejected = scenario.incidents.rejected;
    if (!rejected) throw new Error('the scenario has no rejected upload');
    const names = await readdir(path.join(outDir, rejected.period));
    const draft = names.find(
      (n) => n.startsWith(`receipt-${rejected.dept}-${rejected.period}-draft.`) && n.endsWith('.json'),
    );

    // Act
    const receipt = JSON.parse(
      await readFile(path.join(outDir, rejected.period, draft ?? 'none'), 'utf8'),
    ) as {
      status: string;
      errors: { code: string; cell: string; indicator: string; message_zh: string; value: unknown }[];
    };

    // Assess
    expect(receipt.status).toBe('rejected');
    expect(receipt.errors).toHaveLength(1);
    expect(receipt.errors[0]).toMatchObject({ indicator: rejected.code, value: rejected.text });
    expect(receipt.errors[0]?.cell).toMatch(/^E\d+$/);
    expect(receipt.errors[0]?.message_zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('leaves an archive that verifies, and an audit log that records the correction', async () => {
    // Act
    const verify = await runCli(['archive', 'verify', '--data', dataDir, '--json']);
    const audit = await runCli(['audit', 'log', '--data', dataDir, '--json']);

    // Assess
    expect(verify.code, verify.stderr).toBe(0);
    const report = JSON.parse(verify.stdout) as { ok: boolean; findings: unknown[] };
    expect(report).toMatchObject({
      ok: true,
      findings: [],
      chain: { links: 4, sealed: 4 },
      bulletins: { versions: 4 },
    });
    expect(audit.code, audit.stderr).toBe(0);
    const { events } = JSON.parse(audit.stdout) as {
      events: { action: string; dept?: string; period: string }[];
    };
    const correction = scenario.incidents.correction;
    expect(events.filter((e) => e.action === 'submission.corrected')).toEqual([
      expect.objectContaining({ dept: correction?.dept, period: correction?.period }),
    ]);
    expect(events.filter((e) => e.action === 'submission.rejected')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'bulletin.issued')).toHaveLength(4);
  });

  it('makes a portal account per department, a leader, an auditor and an admin, passwords in a 0600 file', async () => {
    // Prepare
    const file = path.join(dataDir, 'portal-users.txt');
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'));
    const accounts = new Map(
      lines.map((l) => l.split(/\s+/)).map(([user, password, role]) => [user, { password, role }]),
    );
    const local = await startLocalAws({ dataDir });
    const saved = { ...process.env };
    Object.assign(process.env, local.env);
    resetClients();
    try {
      // Act
      const sessions = createPasswordSessions({ users: createUserDirectory(), clock: () => new Date() });
      const fgw = await sessions.signIn('fgw', accounts.get('fgw')?.password ?? '');
      const wrong = await sessions.signIn('leader', accounts.get('fgw')?.password ?? '');

      // Assess
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect([...accounts.keys()].sort()).toEqual(
        [...catalog.departments.map((d) => d.id), 'admin', 'auditor', 'leader'].sort(),
      );
      expect(accounts.get('leader')?.role).toBe('leader');
      expect(accounts.get('fgw')?.role).toBe('department:fgw');
      expect(fgw.ok && fgw.principal).toEqual({
        username: 'fgw',
        role: 'department',
        dept: 'fgw',
        name: '发改委填报员',
      });
      expect(wrong.ok).toBe(false);
    } finally {
      await local.stop();
      process.env = saved;
      resetClients();
    }
  });
});
