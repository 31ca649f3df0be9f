import ExcelJS from 'exceljs';
import { departmentList, indicatorsForDept, isJudgedIn } from '../../core/catalog/catalog-lookup.ts';
import type { Catalog, Indicator } from '../../core/catalog/catalog-schema.ts';
import {
  COLUMN,
  DATA_SHEET,
  GUIDE_SHEET,
  HEADER,
  HEADER_ROW,
  isStaged,
  META_KEYS,
  META_SHEET,
  SIGNATURE_BLOCK,
  SIGNATURE_FIELDS,
  stageChoices,
  type TemplateMeta,
  targetDisplay,
  templateId,
} from '../../core/ingest/template-contract.ts';
import type { Submission } from '../../core/submission.ts';
import { parsePeriod } from '../../core/submission.ts';

/**
 * Builds a department's monthly workbook from the catalog: the 填报 sheet the validator
 * expects, a 说明 sheet in Chinese, and the hidden _meta sheet that ties an upload back
 * to its department, month and catalog version.
 */

export interface TemplateRequest {
  readonly catalog: Catalog;
  readonly catalogVersion: number;
  readonly dept: string;
  readonly period: string;
  /** Last month's latest accepted submission, shown for reference. */
  readonly previous?: Submission;
  readonly now: Date;
}

export class TemplateRequestError extends Error {
  override readonly name = 'TemplateRequestError';
}

const KIND_ZH: Record<Indicator['kind'], string> = {
  cumulative: '年初至本月累计值',
  stock: '本月末时点值',
  rate: '年初至本月累计增速或占比(%,如 12.5% 填 12.5)',
  rank: '本月全市位次(整数,1 为第一)',
  milestone: '当前所处阶段(下拉选择)',
  deadline: '截至本月已取得的数量(尚未取得填 0)',
  qualitative: '当前进展阶段(下拉选择)',
};

function validationFor(indicator: Indicator, previousValue: string, month: number): ExcelJS.DataValidation {
  // Quarterly and annual figures are asked for only in their months; a value in between is welcome.
  const optional = !isJudgedIn(indicator, month);
  const prompt = `${optional ? '本月可不填(非考核月);' : ''}${KIND_ZH[indicator.kind]}${previousValue ? `;上期已报:${previousValue}` : ''}`;
  if (isStaged(indicator)) {
    return {
      type: 'list',
      allowBlank: false,
      formulae: [`"${stageChoices(indicator).join(',')}"`],
      showErrorMessage: true,
      errorTitle: '阶段不在列表中',
      error: '请从下拉列表中选择阶段',
      showInputMessage: true,
      promptTitle: indicator.name.slice(0, 32),
      prompt: prompt.slice(0, 255),
    };
  }
  const min = indicator.allowNegative ? -1e15 : 0;
  return {
    type: indicator.kind === 'rank' || indicator.kind === 'deadline' ? 'whole' : 'decimal',
    operator: 'between',
    allowBlank: optional,
    formulae: [indicator.kind === 'rank' ? 1 : min, 1e15],
    showErrorMessage: true,
    errorTitle: '请输入数字',
    error: indicator.allowNegative
      ? `请填写以「${indicator.unit}」计的数字`
      : `请填写以「${indicator.unit}」计的非负数字`,
    showInputMessage: true,
    promptTitle: indicator.name.slice(0, 32),
    prompt: prompt.slice(0, 255),
  };
}

const GUIDE_LINES = [
  '填报说明',
  '1. 只在「本期值」列填写数字(或选择阶段),需要时在「情况说明」列写明原因;其他单元格已锁定,请勿修改。',
  '2. 累计类指标填写年初至本月的累计数;时点类填写本月末数值;增速、占比类填写百分数的数值(12.5% 填 12.5);位次填写整数;有期限的单项成果填写截至本月已取得的数量;项目类、任务类指标从下拉列表选择当前阶段;季度、年度指标只在考核月(3、6、9、12月或12月)必填。',
  '3. 可以填写全角数字、千分位(如 1,234.5)或带单位的数字(如 12.5亿元),系统会自动识别;单位必须与「计量单位」一致。',
  '4. 累计数低于上月时,必须在「情况说明」中写明原因。',
  '5. 请勿增删行列、修改工作表名称,或删除隐藏的 _meta 工作表;保存为 .xlsx 格式(不要带宏、不要设置打开密码)。',
  '6. 上传后会立即收到回执:指出每一个有问题的单元格及原因;报送未通过时不会保存任何数值,改正后重新上传即可。',
  '7. 已报送的月份可以再次上传更正,系统保留每一个版本。',
  '8. 填报人、联系电话、审核人请填在「填报」表右侧的签字栏(系统会记入回执);打印后签字、盖章。请勿在表格下方新增行。',
];

/** 2023-06 → 2023年6月 */
function periodLabel(period: string): string {
  const [year, month] = period.split('-');
  return `${year}年${Number(month)}月`;
}

const THIN = { style: 'thin' } as const;
const BOXED = { top: THIN, left: THIN, bottom: THIN, right: THIN } as const;

/**
 * The block beside the table that says whose form it is and who signs it: department and
 * month (locked), 填报人, 联系电话 and 审核人 (unlocked, read at ingest), and a place for the
 * stamp. It sits in columns H–I from row 2, so the header row keeps its six columns alone.
 */
function signatureBlock(sheet: ExcelJS.Worksheet, department: string, period: string): void {
  const { labelColumn, valueColumn, rows } = SIGNATURE_BLOCK;
  const line = (row: number, label: string, value: string, unlocked: boolean) => {
    const labelCell = sheet.getRow(row).getCell(labelColumn + 1);
    const valueCell = sheet.getRow(row).getCell(valueColumn + 1);
    labelCell.value = label;
    labelCell.font = { bold: true };
    labelCell.border = BOXED;
    valueCell.value = value;
    valueCell.border = BOXED;
    if (unlocked) {
      valueCell.protection = { locked: false };
      valueCell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
    }
  };
  line(rows.dept, '填报单位', department, false);
  line(rows.period, '填报月份', period, false);
  line(rows.preparer, SIGNATURE_FIELDS.preparer, '', true);
  line(rows.phone, SIGNATURE_FIELDS.phone, '', true);
  line(rows.reviewer, SIGNATURE_FIELDS.reviewer, '', true);
  line(rows.stamp, '单位盖章', '', false);
  sheet.getRow(rows.stamp).getCell(valueColumn + 1).alignment = { vertical: 'top' };
}

/**
 * How the form prints (LibreOffice, WPS and Excel read these settings): A4 landscape, one page
 * wide, the header row on every page, department and month in the page header, page numbers
 * and lines to sign in the footer.
 */
function printSetup(sheet: ExcelJS.Worksheet, indicatorCount: number, whose: string): void {
  const lastRow = Math.max(HEADER_ROW + indicatorCount, SIGNATURE_BLOCK.rows.stamp);
  sheet.pageSetup = {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    printArea: `A1:I${lastRow}`,
    printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    margins: { left: 0.5, right: 0.5, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 },
  };
  sheet.headerFooter = {
    oddHeader: `&C&"-,Bold"目标任务进度报送表  ${whose}`,
    oddFooter: '&L填报人：__________    审核人：__________&R第 &P 页 / 共 &N 页',
  };
}

export async function buildTemplate(request: TemplateRequest): Promise<Uint8Array> {
  const { catalog, dept, period } = request;
  const department = catalog.departments.find((d) => d.id === dept);
  if (!department) {
    throw new TemplateRequestError(
      `department "${dept}" is not in the ${catalog.year} catalog (known: ${departmentList(catalog.departments)})`,
    );
  }
  if (parsePeriod(period)?.year !== catalog.year) {
    throw new TemplateRequestError(`period "${period}" must be YYYY-MM within ${catalog.year}`);
  }
  const month = parsePeriod(period)?.month ?? 1;
  const indicators = indicatorsForDept(catalog, dept);
  if (indicators.length === 0) throw new TemplateRequestError(`department "${dept}" reports no indicators`);
  const previous = new Map((request.previous?.values ?? []).map((v) => [v.code, v.value]));

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'duban';
  workbook.created = request.now;
  workbook.modified = request.now;

  const sheet = workbook.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: HEADER_ROW }] });
  sheet.columns = [
    { width: 28 },
    { width: 30 },
    { width: 9 },
    { width: 12 },
    { width: 14 },
    { width: 40 },
    { width: 2 },
    { width: 10 },
    { width: 30 },
  ];
  const header = sheet.getRow(HEADER_ROW);
  header.values = [...HEADER];
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
  });
  indicators.forEach((indicator, i) => {
    const row = sheet.getRow(HEADER_ROW + 1 + i);
    row.values = [indicator.code, indicator.name, indicator.unit, targetDisplay(indicator)];
    const input = row.getCell(COLUMN.value + 1);
    const previousValue = previous.get(indicator.code);
    input.protection = { locked: false };
    input.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
    input.dataValidation = validationFor(
      indicator,
      previousValue === undefined ? '' : String(previousValue),
      month,
    );
    // 情况说明 is free text a department must be able to write (e.g. why a total fell).
    row.getCell(COLUMN.note + 1).protection = { locked: false };
    row.getCell(COLUMN.note + 1).alignment = { wrapText: true, vertical: 'top' };
  });
  // Ruled like the paper form it becomes when printed and signed.
  for (let r = HEADER_ROW; r <= HEADER_ROW + indicators.length; r++)
    for (let c = 1; c <= HEADER.length; c++) sheet.getRow(r).getCell(c).border = BOXED;
  signatureBlock(sheet, `${department.name}(${dept})`, periodLabel(period));
  printSetup(sheet, indicators.length, `${department.name}  ${periodLabel(period)}`);
  await sheet.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true });

  const guide = workbook.addWorksheet(GUIDE_SHEET, {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  guide.getColumn(1).width = 80;
  guide.addRows(GUIDE_LINES.map((line) => [line]));
  guide.getRow(1).font = { bold: true, size: 14 };
  guide.addRow([]);
  guide.addRow([`填报单位:${department.name}(${dept})    填报月份:${period}    目标目录:${catalog.title}`]);
  guide.addRow([]);
  const refHeader = guide.addRow(['上期已报数值(供参考)']);
  refHeader.font = { bold: true };
  for (const indicator of indicators) {
    const value = previous.get(indicator.code);
    guide.addRow([
      `${indicator.code} ${indicator.name}:${value === undefined ? '(上期未报)' : `${value} ${indicator.unit}`}`,
    ]);
  }
  // Long lines wrap within the printed page rather than running off it.
  guide.eachRow((row) => {
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  });
  await guide.protect('', { selectLockedCells: true, selectUnlockedCells: true });

  const meta: TemplateMeta = {
    dept,
    period,
    catalogYear: catalog.year,
    catalogVersion: request.catalogVersion,
    templateId: templateId(
      dept,
      period,
      catalog.year,
      indicators.map((i) => i.code),
    ),
  };
  const metaSheet = workbook.addWorksheet(META_SHEET, { state: 'hidden' });
  metaSheet.addRow(['key', 'value']);
  metaSheet.addRows([
    [META_KEYS.dept, meta.dept],
    [META_KEYS.period, meta.period],
    [META_KEYS.catalogYear, String(meta.catalogYear)],
    [META_KEYS.catalogVersion, String(meta.catalogVersion)],
    [META_KEYS.templateId, meta.templateId],
  ]);
  await metaSheet.protect('', {});

  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
