import ExcelJS from 'exceljs';
import { allRows, type BulletinModel, type BulletinRow } from '../core/bulletin/bulletin-model.ts';
import { STATUSES, type Status } from '../core/catalog/catalog-constants.ts';

/**
 * The Excel bulletin. Sheet `指标进度` is a contract (docs/data-model.md, "File contracts"): its header row starts with
 * 指标编码, 指标名称, 责任单位, 本期值, 年度目标, 完成率, 序时进度, 状态 in that order; further
 * columns follow. Every text that comes from a department (notes, even names) goes through
 * `safeText`, so nothing a department typed can become a live formula (OWASP ASVS 1.2.10).
 */

export const PROGRESS_SHEET = '指标进度';
export const SUMMARY_SHEET = '汇总';
export const MILESTONE_SHEET = '重点项目节点';
export const CORRECTIONS_SHEET = '更正说明';

export const PROGRESS_HEADER = [
  '指标编码',
  '指标名称',
  '责任单位',
  '本期值',
  '年度目标',
  '完成率',
  '序时进度',
  '状态',
  '差距（百分点）',
  '计量单位',
  '板块',
  '情况说明',
  '较上版更正',
] as const;

/** Fill per status; the status text is always in the cell too, so grey-scale printing keeps it. */
export const STATUS_FILLS: Readonly<Record<Status, string>> = {
  超进度: 'FFC6EFCE',
  达进度: 'FFDDEBF7',
  欠进度: 'FFFFEB9C',
  严重滞后: 'FFFFC7CE',
  逾期未完成: 'FFE4C1F9',
  未报送: 'FFD9D9D9',
  已完成: 'FFA9D08E',
  未到期: 'FFEDEDED',
  本期不判定: 'FFF2F2F2',
};

const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * A text that a spreadsheet will show as text: if it starts with a formula trigger
 * (= + - @ tab CR) a single quote is prepended, the OWASP-recommended escape, so the value
 * stays inert when the sheet is re-saved, exported to CSV or pasted elsewhere.
 */
export function safeText(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0] as string) ? `'${text}` : text;
}

const PERCENT_FORMAT = '0.0%';
const NUMBER_FORMAT = '#,##0.##';

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  row.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFBDD7EE' } };
  });
}

function numberOrText(value: number | string | null, text: string): number | string {
  return typeof value === 'number' ? value : safeText(text);
}

function progressRowValues(r: BulletinRow): (number | string)[] {
  return [
    r.code,
    safeText(r.name),
    safeText(r.deptShortName),
    numberOrText(r.value, r.valueText),
    numberOrText(r.target, r.targetText),
    numberOrText(r.completionRate, r.completionRateText),
    numberOrText(r.expectedShare, r.expectedShareText),
    r.status,
    numberOrText(r.gapPoints, r.gapText),
    safeText(r.unit),
    r.section,
    safeText(r.note),
    r.correctedSinceLastVersion ? '是' : '',
  ];
}

interface TableColumn {
  readonly header: string;
  readonly width: number;
}

/** A sheet that is one table: frozen, styled header row; the caller adds the rows. */
function addTableSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: readonly TableColumn[],
  frozenColumns = 0,
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1, xSplit: frozenColumns }],
  });
  sheet.columns = columns.map((c) => ({ ...c }));
  styleHeader(sheet.getRow(1));
  return sheet;
}

/** An autofilter over the header and every row added so far. */
function filterAll(sheet: ExcelJS.Worksheet, columns: number): void {
  sheet.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: Math.max(1, sheet.rowCount), column: columns },
  };
}

/** One indicator table (the whole bulletin, or one department's slice). */
function addProgressSheet(workbook: ExcelJS.Workbook, name: string, rows: readonly BulletinRow[]): void {
  const columns = PROGRESS_HEADER.map((header) => ({
    header,
    width: header === '指标名称' || header === '情况说明' ? 30 : 12,
  }));
  const sheet = addTableSheet(workbook, name, columns, 2);
  for (const r of rows) {
    const row = sheet.addRow(progressRowValues(r));
    const numFormats: Record<number, string> = {
      4: NUMBER_FORMAT,
      5: NUMBER_FORMAT,
      6: PERCENT_FORMAT,
      7: PERCENT_FORMAT,
    };
    for (const [col, fmt] of Object.entries(numFormats)) {
      const cell = row.getCell(Number(col));
      if (typeof cell.value === 'number') cell.numFmt = fmt;
    }
    const gapCell = row.getCell(9);
    if (typeof gapCell.value === 'number') gapCell.numFmt = '+0.0;-0.0;0.0';
    row.getCell(8).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: STATUS_FILLS[r.status] } };
    row.getCell(12).alignment = { wrapText: true };
  }
  filterAll(sheet, PROGRESS_HEADER.length);
}

function addSummarySheet(workbook: ExcelJS.Workbook, model: BulletinModel): void {
  const sheet = workbook.addWorksheet(SUMMARY_SHEET);
  sheet.getColumn(1).width = 24;
  sheet.getColumn(2).width = 14;
  sheet.addRow([safeText(model.title)]).font = { bold: true, size: 14 };
  sheet.addRow([`版本：第${model.version}版`, `生成时间：${model.generatedDateLabel}`]);
  sheet.addRow([`目标目录：${model.catalog.year}年 第${model.catalog.version}版`]);
  sheet.addRow([]);
  for (const line of model.headline) sheet.addRow([safeText(line)]);
  sheet.addRow([]);
  styleHeader(sheet.addRow(['状态', '指标数']));
  for (const s of STATUSES) {
    const row = sheet.addRow([s, model.statusCounts[s]]);
    row.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: STATUS_FILLS[s] } };
  }
  sheet.addRow(['合计', model.totalIndicators]).font = { bold: true };
  sheet.addRow([]);
  styleHeader(sheet.addRow(['排名', '责任单位', '指标数', '达到序时进度占比', ...STATUSES]));
  for (const d of model.departments) {
    const row = sheet.addRow([
      d.rank,
      safeText(d.shortName),
      d.total,
      d.onTrackShare,
      ...STATUSES.map((s) => d.counts[s]),
    ]);
    row.getCell(4).numFmt = PERCENT_FORMAT;
  }
}

function addMilestoneSheet(workbook: ExcelJS.Workbook, model: BulletinModel): void {
  const sheet = addTableSheet(workbook, MILESTONE_SHEET, [
    { header: '指标编码', width: 20 },
    { header: '项目名称', width: 30 },
    { header: '责任单位', width: 14 },
    { header: '本月应达节点', width: 14 },
    { header: '当前节点', width: 14 },
    { header: '状态', width: 10 },
    { header: '节点计划', width: 40 },
    { header: '情况说明', width: 30 },
  ]);
  for (const m of model.milestones) {
    const plan = m.stages
      .map((s) => `${s.stage}（${s.plannedMonth}月${s.reached ? '，已完成' : ''}）`)
      .join(' → ');
    const row = sheet.addRow([
      m.code,
      safeText(m.name),
      safeText(model.departments.find((d) => d.id === m.dept)?.shortName ?? m.deptName),
      safeText(m.expectedStage ?? '—'),
      safeText(m.currentStage ?? '未报送'),
      m.status,
      safeText(plan),
      safeText(m.note),
    ]);
    row.getCell(6).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: STATUS_FILLS[m.status] } };
  }
  filterAll(sheet, 8);
}

function addCorrectionsSheet(workbook: ExcelJS.Workbook, model: BulletinModel): void {
  const sheet = addTableSheet(workbook, CORRECTIONS_SHEET, [
    { header: '月份', width: 10 },
    { header: '责任单位', width: 14 },
    { header: '指标编码', width: 20 },
    { header: '指标名称', width: 30 },
    { header: '更正前', width: 12 },
    { header: '更正后', width: 12 },
    { header: '报送版本', width: 10 },
    { header: '更正时间', width: 22 },
  ]);
  sheet.addRow([safeText(model.corrections.summary)]);
  for (const c of model.corrections.items) {
    sheet.addRow([
      c.period,
      safeText(model.departments.find((d) => d.id === c.dept)?.shortName ?? c.deptName),
      c.code,
      safeText(c.indicatorName),
      numberOrText(c.before, c.beforeText),
      numberOrText(c.after, c.afterText),
      `v${c.fromVersion ?? '-'} → v${c.toVersion}`,
      c.receivedAt,
    ]);
  }
}

/** Excel sheet names: ≤ 31 characters, none of : \ / ? * [ ], unique in the workbook. */
export function sheetName(wanted: string, taken: Set<string>): string {
  const base = wanted.replace(/[:\\/?*[\]]/g, '_').slice(0, 28) || '单位';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  taken.add(name);
  return name;
}

export async function renderBulletinWorkbook(model: BulletinModel): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = model.generatorVersion;
  workbook.title = model.title;
  workbook.subject = `${model.period} v${model.version}`;
  workbook.created = new Date(model.generatedAt);
  workbook.modified = new Date(model.generatedAt);

  addSummarySheet(workbook, model);
  const rows = allRows(model);
  addProgressSheet(workbook, PROGRESS_SHEET, rows);
  const taken = new Set([SUMMARY_SHEET, PROGRESS_SHEET, MILESTONE_SHEET, CORRECTIONS_SHEET]);
  for (const d of model.departments) {
    addProgressSheet(
      workbook,
      sheetName(d.shortName, taken),
      rows.filter((r) => r.dept === d.id),
    );
  }
  addMilestoneSheet(workbook, model);
  addCorrectionsSheet(workbook, model);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
