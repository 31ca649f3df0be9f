import ExcelJS from 'exceljs';
import {
  allRows,
  type BulletinModel,
  type BulletinRow,
  type DepartmentRollup,
} from '../core/bulletin/bulletin-model.ts';
import { beijingTime } from '../core/bulletin/bulletin-period.ts';
import { NOT_JUDGED, STATUSES, type Status } from '../core/catalog/catalog-constants.ts';

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
  '差距',
  '计量单位',
  '目标依据',
  '目标测算或说明',
  '判定频次',
  '板块',
  '情况说明',
  '较上版更正',
] as const;

export const ESCALATION_SHEET = '重点督办事项';

const BASIS_ZH: Readonly<Record<BulletinRow['targetBasis'], string>> = {
  stated: '报告明确',
  derived: '测算',
  assumed: '假设',
};

const FREQUENCY_ZH: Readonly<Record<BulletinRow['frequency'], string>> = {
  monthly: '月度',
  quarterly: '季度',
  annual: '年度',
};

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
/** A rate's own figure (8 means 8%), and gaps with the unit the PDF prints beside them. */
const RATE_FORMAT = '0.0#"%"';
const POINTS_FORMAT = '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"';
const PLACES_FORMAT = '+0"位";-0"位";0"位"';
const STAGES_FORMAT = '+0"个节点";-0"个节点";0"个节点"';
/** Beijing wall-clock time written as a spreadsheet date (spreadsheets have no time zones). */
const TIME_FORMAT = 'yyyy-mm-dd hh:mm';

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

/** 序时进度 as the PDF prints it: a share, a rate to reach (8 → 8%), a level to hold, a stage, or —. */
function expectedCell(r: BulletinRow): { value: number | string; format?: string } {
  if (r.kind === 'rate' && r.expectedValue !== null) return { value: r.expectedValue, format: RATE_FORMAT };
  // A stock held at its baseline: the level to hold, in the unit column's unit.
  if (r.kind === 'stock' && r.expectedShare === null && r.expectedValue !== null)
    return { value: r.expectedValue, format: NUMBER_FORMAT };
  if (r.expectedShare !== null && r.kind !== 'milestone')
    return { value: r.expectedShare, format: PERCENT_FORMAT };
  return { value: safeText(r.expectedShareText) };
}

/** The gap in the same notion as the PDF for every kind: points, places, stages, else the text. */
function gapCell(r: BulletinRow): { value: number | string; format?: string } {
  if (r.gapSteps !== null)
    return { value: r.gapSteps, format: r.kind === 'rank' ? PLACES_FORMAT : STAGES_FORMAT };
  if (r.gapPoints !== null && r.notJudgedReason === null) {
    return { value: Number(r.gapPoints.toFixed(1)), format: POINTS_FORMAT };
  }
  return { value: safeText(r.gapText) };
}

function progressRowValues(r: BulletinRow): (number | string)[] {
  return [
    r.code,
    safeText(r.name),
    safeText(r.deptShortName),
    numberOrText(r.value, r.valueText),
    numberOrText(r.target, r.targetText),
    numberOrText(r.completionRate, r.completionRateText),
    expectedCell(r).value,
    r.status,
    gapCell(r).value,
    safeText(r.unit),
    BASIS_ZH[r.targetBasis],
    safeText(r.targetArithmetic ?? ''),
    FREQUENCY_ZH[r.frequency],
    safeText(r.section),
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
    width: header === '指标名称' || header === '情况说明' || header === '目标测算或说明' ? 30 : 12,
  }));
  const sheet = addTableSheet(workbook, name, columns, 2);
  for (const r of rows) {
    const row = sheet.addRow(progressRowValues(r));
    const rate = r.kind === 'rate' ? RATE_FORMAT : NUMBER_FORMAT;
    const numFormats: Record<number, string | undefined> = {
      4: rate,
      5: rate,
      6: PERCENT_FORMAT,
      7: expectedCell(r).format,
      9: gapCell(r).format,
    };
    for (const [col, fmt] of Object.entries(numFormats)) {
      const cell = row.getCell(Number(col));
      if (fmt && typeof cell.value === 'number') cell.numFmt = fmt;
    }
    row.getCell(8).fill = statusFill(r.status);
    row.getCell(12).alignment = { wrapText: true };
    row.getCell(15).alignment = { wrapText: true };
  }
  filterAll(sheet, PROGRESS_HEADER.length);
}

function addSummarySheet(workbook: ExcelJS.Workbook, model: BulletinModel): void {
  const sheet = workbook.addWorksheet(SUMMARY_SHEET);
  sheet.getColumn(1).width = 24;
  sheet.getColumn(2).width = 14;
  sheet.addRow([safeText(model.title)]).font = { bold: true, size: 14 };
  sheet.addRow([
    `期号：${model.issueLabel}`,
    `版本：第${model.version}版`,
    `编发日期：${model.issueDateLabel}`,
  ]);
  sheet.addRow([`目标目录：${model.catalog.year}年 第${model.catalog.version}版`]);
  sheet.addRow([]);
  for (const line of model.headline) sheet.addRow([safeText(line)]);
  sheet.addRow([]);
  styleHeader(sheet.addRow(['状态', '指标数', '类别']));
  for (const s of STATUSES) {
    const row = sheet.addRow([s, model.statusCounts[s], NOT_JUDGED.has(s) ? '本期不判定' : '本期判定']);
    row.getCell(1).fill = statusFill(s);
  }
  sheet.addRow(['合计', model.totalIndicators]).font = { bold: true };
  sheet.addRow(['其中本期判定', model.judgedIndicators]);
  sheet.addRow(['判定依据假设目标', model.assumedJudgements]);
  sheet.addRow([]);
  styleHeader(
    sheet.addRow([
      '名次',
      '并列',
      '较上月',
      '责任单位',
      '达到序时进度占比',
      '判定指标数',
      '达序时指标数',
      ...STATUSES,
      ...(model.reporting ? REPORTING_HEADER : []),
    ]),
  );
  for (const d of model.departments) {
    const row = sheet.addRow([
      d.rank ?? '—',
      d.tied ? '并列' : '',
      d.rankChangeText,
      safeText(d.shortName),
      d.onTrackShare ?? '—',
      d.judged,
      d.onSchedule,
      ...STATUSES.map((s) => d.counts[s]),
      ...(model.reporting ? reportingCells(d) : []),
    ]);
    if (typeof row.getCell(5).value === 'number') row.getCell(5).numFmt = PERCENT_FORMAT;
    const received = row.getCell(8 + STATUSES.length + REPORTING_HEADER.indexOf('首版收到时间'));
    if (received.value instanceof Date) received.numFmt = TIME_FORMAT;
  }
  if (model.reporting) {
    sheet.addRow([]);
    sheet.addRow([`报送截止日：${model.reporting.dueDayLabel}，按“${model.reporting.dueRule}”确定`]);
    sheet.addRow([model.reporting.summary]);
  }
}

/** 报送情况 columns of the department table, as the PDF's reporting column says them. */
const REPORTING_HEADER = ['报送情况', '逾期报送', '首版收到时间', '催报日期'];

function reportingCells(d: DepartmentRollup): (string | Date)[] {
  return [
    d.reportingText ?? (d.reported ? '已报送' : '未报送'),
    d.late ? '是' : '否',
    d.firstReceivedAt ? beijingWallClock(d.firstReceivedAt) : '',
    (d.remindedAt ?? []).map((at) => beijingTime(at).slice(0, 10)).join('、'),
  ];
}

/**
 * One column of a sheet that lists records: its header, width and the cell each record gives.
 * A `status` column writes the status and fills the cell in its colour; `numFmt` applies to a
 * number or date cell only (a text fallback keeps the general format).
 */
type RecordColumn<T> = TableColumn &
  (
    | { readonly value: (record: T) => ExcelJS.CellValue; readonly numFmt?: string }
    | { readonly status: (record: T) => Status }
  );

function statusFill(status: Status): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb: STATUS_FILLS[status] } };
}

/** A table sheet with a row per record, each cell from its column. */
function addRecordSheet<T>(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: readonly RecordColumn<T>[],
  records: readonly T[],
  leadRows: readonly string[] = [],
): ExcelJS.Worksheet {
  const sheet = addTableSheet(workbook, name, columns);
  for (const line of leadRows) sheet.addRow([safeText(line)]);
  for (const record of records) {
    const row = sheet.addRow(columns.map((c) => ('status' in c ? c.status(record) : c.value(record))));
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      if ('status' in c) cell.fill = statusFill(c.status(record));
      else if (c.numFmt && (typeof cell.value === 'number' || cell.value instanceof Date))
        cell.numFmt = c.numFmt;
    });
  }
  return sheet;
}

/** The department's short name as the bulletin prints it, else the name the record carries. */
function shortName(model: BulletinModel, dept: string, fallback: string): string {
  return safeText(model.departments.find((d) => d.id === dept)?.shortName ?? fallback);
}

function addEscalationSheet(workbook: ExcelJS.Workbook, model: BulletinModel): void {
  const columns: readonly RecordColumn<BulletinModel['escalations'][number]>[] = [
    { header: '事项', width: 30, value: (e) => safeText(e.name) },
    { header: '责任单位', width: 14, value: (e) => safeText(e.deptShortName) },
    { header: '督办原因', width: 30, value: (e) => e.reasonText },
    { header: '滞后月份', width: 20, value: (e) => e.behindText },
    { header: '本期状态', width: 12, status: (e) => e.status },
  ];
  addRecordSheet(workbook, ESCALATION_SHEET, columns, model.escalations);
}

function addMilestoneSheet(workbook: ExcelJS.Workbook, model: BulletinModel): void {
  const columns: readonly RecordColumn<BulletinModel['milestones'][number]>[] = [
    { header: '指标编码', width: 20, value: (m) => m.code },
    { header: '项目名称', width: 30, value: (m) => safeText(m.name) },
    { header: '责任单位', width: 14, value: (m) => shortName(model, m.dept, m.deptName) },
    { header: '本月应达节点', width: 14, value: (m) => safeText(m.expectedStage ?? '—') },
    { header: '当前节点', width: 14, value: (m) => safeText(m.currentStage ?? '未报送') },
    { header: '状态', width: 10, status: (m) => m.status },
    { header: '节点计划', width: 40, value: (m) => safeText(stagePlan(m)) },
    { header: '情况说明', width: 30, value: (m) => safeText(m.note) },
  ];
  const sheet = addRecordSheet(workbook, MILESTONE_SHEET, columns, model.milestones);
  filterAll(sheet, columns.length);
}

function stagePlan(m: BulletinModel['milestones'][number]): string {
  return m.stages.map((s) => `${s.stage}（${s.plannedMonth}月${s.reached ? '，已完成' : ''}）`).join(' → ');
}

/**
 * A spreadsheet date is a wall-clock reading without a time zone: the Beijing reading of an
 * instant, so 2024-01-05T00:00Z shows as 2024-01-05 08:00 in Excel and WPS. Not a Date on a bad input.
 */
function beijingWallClock(iso: string): Date | string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms + 8 * 3600_000);
}

function addCorrectionsSheet(workbook: ExcelJS.Workbook, model: BulletinModel): void {
  const columns: readonly RecordColumn<BulletinModel['corrections']['items'][number]>[] = [
    { header: '月份', width: 10, value: (c) => c.period },
    { header: '责任单位', width: 14, value: (c) => shortName(model, c.dept, c.deptName) },
    { header: '指标编码', width: 20, value: (c) => c.code },
    { header: '指标名称', width: 30, value: (c) => safeText(c.indicatorName) },
    { header: '更正前', width: 12, value: (c) => numberOrText(c.before, c.beforeText) },
    { header: '更正后', width: 12, value: (c) => numberOrText(c.after, c.afterText) },
    { header: '报送版本', width: 10, value: (c) => `v${c.fromVersion ?? '-'} → v${c.toVersion}` },
    {
      header: '更正时间（北京时间）',
      width: 22,
      value: (c) => beijingWallClock(c.receivedAt),
      numFmt: TIME_FORMAT,
    },
  ];
  addRecordSheet(workbook, CORRECTIONS_SHEET, columns, model.corrections.items, [model.corrections.summary]);
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
  const taken = new Set([
    SUMMARY_SHEET,
    PROGRESS_SHEET,
    MILESTONE_SHEET,
    CORRECTIONS_SHEET,
    ESCALATION_SHEET,
  ]);
  // Catalog order, the same every month: the ranking is a column of the summary, not the tab order.
  for (const d of [...model.departments].sort((a, b) => a.order - b.order)) {
    addProgressSheet(
      workbook,
      sheetName(d.shortName, taken),
      rows.filter((r) => r.dept === d.id),
    );
  }
  addEscalationSheet(workbook, model);
  addMilestoneSheet(workbook, model);
  addCorrectionsSheet(workbook, model);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
