import { LIMITS } from '../../shared/limits.ts';
import { deptShortName, indicatorsForDept, isJudgedIn } from '../catalog/catalog-lookup.ts';
import {
  type Catalog,
  type DeadlineIndicator,
  INDICATOR_CODE,
  type Indicator,
  type NumericIndicator,
} from '../catalog/catalog-schema.ts';
import type { Submission, SubmissionValue } from '../submission.ts';
import { parsePeriod } from '../submission.ts';
import { codePointLabel, unprintableCharacters } from '../text/printable-text.ts';
import { parseQuantity } from '../units.ts';
import { cellText, type ParsedCell, type ParsedRow, type ParsedWorkbook } from './parsed-workbook.ts';
import { cellAddress, characterCount, type Problem, problem, quote } from './problems.ts';
import {
  COLUMN,
  DATA_SHEET,
  HEADER,
  HEADER_ROW,
  isStaged,
  META_KEYS,
  META_SHEET,
  SIGNATURE_BLOCK,
  SIGNATURE_FIELDS,
  type SignatureField,
  type Signatures,
  stageChoices,
  templateId,
} from './template-contract.ts';

/**
 * Validation of a parsed upload against the catalog: pure, so every rule is unit-tested
 * without a workbook library or a store.
 */

export interface ValidationContext {
  readonly catalog: Catalog;
  readonly catalogVersion: number;
  /** Department and period named by the upload key (incoming/<dept>/<period>/…). */
  readonly key?: { readonly dept?: string; readonly period?: string };
  /** Department and period the uploader stated (CLI flags, object metadata). */
  readonly flags?: { readonly dept?: string; readonly period?: string };
  /** The previous month's latest accepted submission of the same department, if any. */
  readonly previous?: Submission;
}

export interface ValidationResult {
  /** The department and period the upload is for, when they could be determined. */
  readonly dept?: string;
  readonly period?: string;
  readonly templateId?: string;
  readonly problems: Problem[];
  /** Values of the rows that passed, in row order (only meaningful without errors). */
  readonly values: SubmissionValue[];
  /** Non-empty indicator rows seen. */
  readonly rows: number;
  /** 填报人, 联系电话 and 审核人 from the signature block, when filled in. */
  readonly signatures?: Signatures;
}

/** A level or cumulative value more than this factor away from last month's is flagged. */
export const OUTLIER_FACTOR = 3;
/** A rate more than this many points away from last month's is flagged. */
export const OUTLIER_RATE_POINTS = 20;
/** Percentages outside ±this are not plausible for a rate or share. */
export const PERCENT_LIMIT = 100;

interface Identity {
  dept?: string;
  period?: string;
  problems: Problem[];
  metaOk: boolean;
}

function resolveIdentity(workbook: ParsedWorkbook, ctx: ValidationContext): Identity {
  const problems: Problem[] = [];
  const meta = workbook.meta;
  const flags = ctx.flags ?? {};
  if (!meta) {
    if (!flags.dept || !flags.period) {
      problems.push(
        problem({
          code: 'meta-missing',
          sheet: META_SHEET,
          zh: '缺少隐藏工作表 _meta(不是从本系统下载的模板?),请下载最新模板重新填报,或上传时注明 --dept 与 --period',
          en: 'the hidden _meta sheet is missing (not a duban template?); download the template again, or state --dept and --period when uploading',
        }),
      );
      return {
        problems,
        metaOk: false,
        dept: flags.dept ?? ctx.key?.dept,
        period: flags.period ?? ctx.key?.period,
      };
    }
    problems.push(
      problem({
        code: 'meta-missing',
        severity: 'warning',
        sheet: META_SHEET,
        zh: '缺少隐藏工作表 _meta,已按上传时注明的单位与月份处理',
        en: 'the hidden _meta sheet is missing; the department and period stated at upload were used',
      }),
    );
  }
  const sources = {
    dept: [
      { from: '_meta', value: meta?.[META_KEYS.dept]?.value, cell: meta?.[META_KEYS.dept]?.address },
      { from: 'upload key', value: ctx.key?.dept, cell: undefined },
      { from: '--dept', value: flags.dept, cell: undefined },
    ],
    period: [
      { from: '_meta', value: meta?.[META_KEYS.period]?.value, cell: meta?.[META_KEYS.period]?.address },
      { from: 'upload key', value: ctx.key?.period, cell: undefined },
      { from: '--period', value: flags.period, cell: undefined },
    ],
  };
  const resolved: { dept?: string; period?: string } = {};
  for (const field of ['dept', 'period'] as const) {
    const stated = sources[field].filter((s) => s.value);
    resolved[field] = stated[0]?.value;
    const disagree = stated.filter((s) => s.value !== resolved[field]);
    if (disagree.length > 0) {
      const label =
        field === 'dept' ? { zh: '填报单位', en: 'department' } : { zh: '填报月份', en: 'period' };
      const list = stated.map((s) => `${s.from}=${quote(s.value ?? '')}`).join(', ');
      problems.push(
        problem({
          code: field === 'dept' ? 'dept-mismatch' : 'period-mismatch',
          sheet: stated[0]?.cell ? META_SHEET : null,
          cell: stated[0]?.cell ?? null,
          zh: `${label.zh}不一致(${list}),请确认上传到正确的单位和月份`,
          en: `the ${label.en} disagrees between sources (${list}); upload to the right department and month`,
          value: disagree[0]?.value ?? null,
        }),
      );
    }
  }
  if (meta) {
    const absent = Object.values(META_KEYS).filter((k) => !meta[k]?.value);
    if (absent.length > 0) {
      problems.push(
        problem({
          code: 'meta-incomplete',
          sheet: META_SHEET,
          zh: `隐藏工作表 _meta 缺少 ${absent.join('、')},请下载最新模板重新填报`,
          en: `the _meta sheet lacks ${absent.join(', ')}; download the template again`,
        }),
      );
    }
  }
  return { ...resolved, problems, metaOk: Boolean(meta) };
}

function checkCatalogIdentity(
  workbook: ParsedWorkbook,
  ctx: ValidationContext,
  dept: string,
  period: string,
  expectedTemplateId: string,
): Problem[] {
  const meta = workbook.meta;
  if (!meta) return [];
  const problems: Problem[] = [];
  const year = meta[META_KEYS.catalogYear];
  if (year && Number(year.value) !== ctx.catalog.year) {
    problems.push(
      problem({
        code: 'catalog-year-mismatch',
        sheet: META_SHEET,
        cell: year.address,
        zh: `模板属于 ${quote(year.value)} 年目标,本期(${period})应使用 ${ctx.catalog.year} 年模板`,
        en: `the template is for the ${quote(year.value)} targets; ${period} needs the ${ctx.catalog.year} template`,
        value: year.value,
      }),
    );
    return problems;
  }
  const tpl = meta[META_KEYS.templateId];
  if (tpl && tpl.value !== expectedTemplateId) {
    problems.push(
      problem({
        code: 'template-mismatch',
        sheet: META_SHEET,
        cell: tpl.address,
        zh: `模板编号 ${quote(tpl.value)} 与${deptShortName(ctx.catalog, dept)} ${period} 当前模板(${expectedTemplateId})不符:模板不是本单位本月的,或目标目录已调整,请重新下载模板`,
        en: `template id ${quote(tpl.value)} is not the current template for ${deptShortName(ctx.catalog, dept)} ${period} (${expectedTemplateId}); download the template again`,
        value: tpl.value,
      }),
    );
    return problems;
  }
  const version = meta[META_KEYS.catalogVersion];
  if (version && Number(version.value) !== ctx.catalogVersion) {
    problems.push(
      problem({
        code: 'catalog-version-outdated',
        severity: 'warning',
        sheet: META_SHEET,
        cell: version.address,
        zh: `模板基于目标目录第 ${quote(version.value)} 版,当前为第 ${ctx.catalogVersion} 版;本单位的指标未变,已按当前版本校验`,
        en: `the template was made from catalog version ${quote(version.value)}, the current one is ${ctx.catalogVersion}; your indicators are unchanged and were checked against the current version`,
        value: version.value,
      }),
    );
  }
  return problems;
}

function checkHeader(rows: readonly ParsedRow[]): Problem | undefined {
  const header = rows.find((r) => r.row === HEADER_ROW);
  for (let col = 0; col < HEADER.length; col++) {
    const found = cellText(header?.cells[col]);
    const expected = HEADER[col] ?? '';
    if (found !== expected) {
      return problem({
        code: 'header-mismatch',
        sheet: DATA_SHEET,
        cell: cellAddress(col, HEADER_ROW),
        zh: `表头应为「${HEADER.join('、')}」,此处应为「${expected}」,实为「${quote(found)}」;请勿增删或移动列`,
        en: `the header must be ${HEADER.join(', ')}; expected "${expected}" here, found "${quote(found)}"; do not add, remove or move columns`,
        value: found,
      });
    }
  }
  const extra = header?.cells.slice(HEADER.length).find((c) => cellText(c) !== '');
  if (extra) {
    return problem({
      code: 'header-mismatch',
      sheet: DATA_SHEET,
      cell: extra.address,
      zh: `表头只能有「${HEADER.join('、')}」六列,请删除多出的列「${quote(cellText(extra))}」`,
      en: `the header must have exactly the six columns ${HEADER.join(', ')}; remove the extra column "${quote(cellText(extra))}"`,
      value: cellText(extra),
    });
  }
  return undefined;
}

type ValueOutcome =
  | { ok: true; value: number | string }
  | { ok: false; problem: Problem }
  /** A quarterly or annual figure left empty outside its judging months. */
  | { ok: 'skip' };

/** Indicators whose value is a number. */
type NumberValued = NumericIndicator | DeadlineIndicator;

function numberFromCell(cell: ParsedCell, indicator: NumberValued): ValueOutcome {
  const at = {
    sheet: DATA_SHEET,
    cell: cell.address,
    indicator: indicator.code,
    indicatorName: indicator.name,
  };
  if (typeof cell.value === 'number') {
    if (!cell.percentFormat) return { ok: true, value: cell.value };
    // A cell formatted as a percentage stores 12.5% as 0.125.
    // ×100 in binary floating point turns 0.125 into 12.500000000000002; 15 digits undo that.
    const shown = Number((cell.value * 100).toPrecision(15));
    if (indicator.unit === '%') return { ok: true, value: shown };
    // 40.5% typed into a 亿元 row is stored as 0.405: the unit is wrong, as "40.5%" typed as text is.
    return {
      ok: false,
      problem: problem({
        ...at,
        code: 'value-unit-mismatch',
        zh: `本期值「${shown}%」是百分数(单元格为百分比格式),而本行以「${indicator.unit}」计;请填写以「${indicator.unit}」计的数字,并把单元格格式改为常规或数值`,
        en: `value "${shown}%" is a percentage (the cell has a percent format) but this row is in ${indicator.unit}; enter a number in ${indicator.unit} and set the cell format to General or Number`,
        value: `${shown}%`,
      }),
    };
  }
  const text = cellText(cell);
  const parsed = parseQuantity(text, indicator.unit);
  if (parsed.ok) return { ok: true, value: parsed.value };
  const unitProblem = /unit/i.test(parsed.reason);
  return {
    ok: false,
    problem: problem({
      ...at,
      code: unitProblem ? 'value-unit-mismatch' : 'value-not-numeric',
      zh: `本期值「${quote(text)}」${parsed.message_zh ? `:${parsed.message_zh}` : '不是数字'};请填写以「${indicator.unit}」计的数字`,
      en: `value "${quote(text)}": ${parsed.message_en || 'not a number'}; enter a number in ${indicator.unit}`,
      value: text,
    }),
  };
}

function checkNumber(value: number, cell: ParsedCell, indicator: NumberValued): Problem | undefined {
  const at = {
    sheet: DATA_SHEET,
    cell: cell.address,
    indicator: indicator.code,
    indicatorName: indicator.name,
    value,
  };
  if (value < 0 && !indicator.allowNegative) {
    return problem({
      ...at,
      code: 'value-negative',
      zh: `「${indicator.name}」不能为负数(填的是 ${value})`,
      en: `"${indicator.name}" cannot be negative (found ${value})`,
    });
  }
  if (indicator.kind === 'rank' && (!Number.isInteger(value) || value < 1)) {
    return problem({
      ...at,
      code: 'value-not-integer',
      zh: `「${indicator.name}」是位次,应为 1 或更大的整数(填的是 ${value})`,
      en: `"${indicator.name}" is a rank and must be a whole number from 1 (found ${value})`,
    });
  }
  if (indicator.kind === 'deadline' && !Number.isInteger(value)) {
    return problem({
      ...at,
      code: 'value-not-integer',
      zh: `「${indicator.name}」填写已取得的数量,应为整数(填的是 ${value})`,
      en: `"${indicator.name}" counts results and must be a whole number (found ${value})`,
    });
  }
  if (indicator.unit === '%' && Math.abs(value) > PERCENT_LIMIT) {
    return problem({
      ...at,
      code: 'percent-out-of-range',
      zh: `「${indicator.name}」是百分比,应在 -${PERCENT_LIMIT} 到 ${PERCENT_LIMIT} 之间(填的是 ${value});如 12.5% 请填 12.5`,
      en: `"${indicator.name}" is a percentage and must lie within ±${PERCENT_LIMIT} (found ${value}); write 12.5% as 12.5`,
    });
  }
  return undefined;
}

/** cellText(cell) !== '' without turning every number into a string (run once per row). */
function hasContent(cell: ParsedCell | undefined): cell is ParsedCell {
  if (!cell || cell.value === null) return false;
  return typeof cell.value !== 'string' || cell.value.trim() !== '';
}

function readValue(
  cell: ParsedCell | undefined,
  indicator: Indicator,
  address: string,
  month: number,
): ValueOutcome {
  const at = { sheet: DATA_SHEET, cell: address, indicator: indicator.code, indicatorName: indicator.name };
  if (cell?.error) {
    return {
      ok: false,
      problem: problem({
        ...at,
        code: 'formula-error',
        zh: `本期值的公式结果为错误 ${cell.error},请改正公式或直接填写数值`,
        en: `the value's formula evaluates to the error ${cell.error}; fix the formula or type the number`,
        value: cell.error,
      }),
    };
  }
  if (cell?.formula && cell.value === null) {
    return {
      ok: false,
      problem: problem({
        ...at,
        code: 'formula-no-cached-result',
        zh: '本期值是公式但没有计算结果(文件未经 Excel/WPS 重新计算保存),请在 Excel 中打开并保存后再上传,或直接填写数值',
        en: 'the value is a formula without a cached result (the file was not recalculated); open and save it in Excel, or type the number',
      }),
    };
  }
  if (!hasContent(cell)) {
    if (!isJudgedIn(indicator, month)) return { ok: 'skip' };
    return {
      ok: false,
      problem: problem({
        ...at,
        code: 'value-empty',
        zh: `「${indicator.name}」的本期值未填写`,
        en: `no value for "${indicator.name}"`,
      }),
    };
  }
  if (isStaged(indicator)) {
    const text = cellText(cell);
    const stages = stageChoices(indicator);
    if (!stages.includes(text)) {
      return {
        ok: false,
        problem: problem({
          ...at,
          code: 'stage-unknown',
          zh: `「${quote(text)}」不是「${indicator.name}」的进度阶段,请从下拉列表选择:${stages.join('、')}`,
          en: `"${quote(text)}" is not a stage of "${indicator.name}"; choose one of ${stages.join(', ')}`,
          value: text,
        }),
      };
    }
    return { ok: true, value: text };
  }
  const outcome = numberFromCell(cell, indicator);
  if (outcome.ok !== true || typeof outcome.value !== 'number') return outcome;
  const invalid = checkNumber(outcome.value, cell, indicator);
  return invalid ? { ok: false, problem: invalid } : outcome;
}

function compareWithLastMonth(
  indicator: Indicator,
  value: number | string,
  note: string,
  previous: SubmissionValue | undefined,
  address: string,
): Problem | undefined {
  if (!previous || isStaged(indicator) || indicator.kind === 'rank' || indicator.kind === 'deadline') {
    return undefined;
  }
  if (typeof value !== 'number' || typeof previous.value !== 'number') return undefined;
  const before = previous.value;
  const at = {
    sheet: DATA_SHEET,
    cell: address,
    indicator: indicator.code,
    indicatorName: indicator.name,
    value,
  };
  if (indicator.kind === 'cumulative' && value < before) {
    return problem({
      ...at,
      code: 'cumulative-decreased',
      severity: note ? 'warning' : 'error',
      zh: note
        ? `累计值 ${value} 低于上月的 ${before},已按情况说明接受`
        : `累计值 ${value} 低于上月的 ${before}(累计数一般不应下降),请核实;如确属调整,请在「情况说明」中写明原因`,
      en: note
        ? `the year-to-date value ${value} is below last month's ${before}; accepted with the explanation given`
        : `the year-to-date value ${value} is below last month's ${before}; check it, or explain the revision in 情况说明`,
    });
  }
  const outlier =
    indicator.kind === 'rate'
      ? Math.abs(value - before) > OUTLIER_RATE_POINTS
      : before !== 0 &&
        (Math.abs(value) > Math.abs(before) * OUTLIER_FACTOR ||
          Math.abs(value) * OUTLIER_FACTOR < Math.abs(before));
  if (!outlier) return undefined;
  return problem({
    ...at,
    code: 'outlier',
    severity: 'warning',
    zh: `本期值 ${value} 与上月 ${before} 相差较大,请核实单位和数值`,
    en: `the value ${value} is far from last month's ${before}; check the unit and the figure`,
  });
}

function unknownCode(code: string, at: { sheet: string; cell: string }): Problem {
  return problem({
    ...at,
    code: 'indicator-unknown',
    value: code,
    zh: `指标编码「${code}」不在目标目录中,请勿修改指标编码`,
    en: `indicator code "${code}" is not in the catalog; do not edit the codes`,
  });
}

/**
 * A row that is not an indicator row at all: most often a 填报人/联系电话 line typed under
 * the table, which has its own cells beside it (the signature block).
 */
function addedRow(row: ParsedRow, at: { sheet: string; cell: string }): Problem {
  const text = row.cells
    .slice(0, HEADER.length)
    .map((c) => cellText(c))
    .filter(Boolean)
    .join(' ');
  return problem({
    ...at,
    code: 'row-added',
    value: text,
    zh: `第 ${row.row} 行不是指标行(「${quote(text)}」):请勿在表格中新增行;填报人、联系电话、审核人请填在表格右侧的签字栏`,
    en: `row ${row.row} is not an indicator row ("${quote(text)}"): do not add rows to the table; put 填报人, 联系电话 and 审核人 in the signature block to the right of it`,
  });
}

/**
 * 情况说明 is printed in the bulletin as typed: its length is capped (a 300 KB note made a
 * 10-page bulletin 46 pages long), and characters the bulletin font cannot draw are named,
 * since the bulletin shows them only as their code points.
 */
function checkNote(note: string, address: string, indicator: Indicator): Problem[] {
  const at = { sheet: DATA_SHEET, cell: address, indicator: indicator.code };
  const length = note.length <= LIMITS.noteWarnChars ? note.length : characterCount(note);
  if (length > LIMITS.maxNoteChars) {
    return [
      problem({
        ...at,
        code: 'note-too-long',
        value: note,
        zh: `情况说明有 ${length} 字,超过上限 ${LIMITS.maxNoteChars} 字;请精简到 ${LIMITS.maxNoteChars} 字以内,详细材料请另行报送`,
        en: `the note has ${length} characters, over the limit of ${LIMITS.maxNoteChars}; shorten it and send longer material separately`,
      }),
    ];
  }
  const problems: Problem[] = [];
  if (length > LIMITS.noteWarnChars) {
    problems.push(
      problem({
        ...at,
        code: 'note-long',
        severity: 'warning',
        value: length,
        zh: `情况说明有 ${length} 字(建议不超过 ${LIMITS.noteWarnChars} 字),通报将全文刊登`,
        en: `the note has ${length} characters (${LIMITS.noteWarnChars} or fewer suggested); the bulletin prints it in full`,
      }),
    );
  }
  const unprintable = unprintableCharacters(note);
  if (unprintable.length > 0) {
    const listed = unprintable.slice(0, 10).map((ch) => `${ch}(${codePointLabel(ch)})`);
    const more = unprintable.length > listed.length ? ` 等 ${unprintable.length} 个` : '';
    problems.push(
      problem({
        ...at,
        code: 'text-not-printable',
        severity: 'warning',
        value: unprintable.join(''),
        zh: `情况说明中的字符 ${listed.join('、')}${more}通报字体无法显示(表情符号或生僻字),已按原样保存,通报中将以〔U+码位〕代替;如需准确刊登,请改用常用汉字`,
        en: `the note holds ${listed.join(', ')}${more ? ` and ${unprintable.length - listed.length} more` : ''}, which the bulletin font cannot draw (emoji or rare characters); stored as typed, the bulletin prints each as 〔U+code point〕; use common characters to have it printed as written`,
      }),
    );
  }
  return problems;
}

/** The label as people write it: 填报人, 填报人：, 填报人: all name the same line. */
function labelOf(text: string): string {
  return text.replace(/[\s:：]+$/u, '').replace(/\s+/gu, '');
}

/**
 * 填报人, 联系电话 and 审核人 from the signature block beside the table (labels in column H,
 * entries in column I), wherever in the block they were moved to; an entry longer than
 * LIMITS.maxContactChars is an error naming the cell.
 */
function readSignatures(rows: readonly ParsedRow[], problems: Problem[]): Signatures | undefined {
  const fields = Object.entries(SIGNATURE_FIELDS) as [SignatureField, string][];
  const found: Signatures = {};
  for (const row of rows) {
    if (row.row <= HEADER_ROW) continue;
    const label = labelOf(cellText(row.cells[SIGNATURE_BLOCK.labelColumn]));
    const field = fields.find(([, name]) => name === label)?.[0];
    if (field === undefined || found[field] !== undefined) continue;
    const entry = row.cells[SIGNATURE_BLOCK.valueColumn];
    const text = cellText(entry).trim();
    if (text === '') continue;
    const length = characterCount(text);
    if (length > LIMITS.maxContactChars) {
      problems.push(
        problem({
          code: 'contact-too-long',
          sheet: DATA_SHEET,
          cell: entry?.address ?? cellAddress(SIGNATURE_BLOCK.valueColumn, row.row),
          value: text,
          zh: `「${label}」一栏有 ${length} 字,超过上限 ${LIMITS.maxContactChars} 字;请只填写姓名或电话`,
          en: `the ${label} entry has ${length} characters, over the limit of ${LIMITS.maxContactChars}; enter just the name or number`,
        }),
      );
      continue;
    }
    found[field] = text;
  }
  return Object.keys(found).length > 0 ? found : undefined;
}

function isBlankRow(row: ParsedRow): boolean {
  for (let c = 0; c < HEADER.length; c++) {
    const cell = row.cells[c];
    if (!cell) continue;
    if (cell.formula || cell.error) return false;
    if (typeof cell.value === 'string' ? cell.value.trim() !== '' : cell.value !== null) return false;
  }
  return true;
}

export function validateUpload(workbook: ParsedWorkbook, ctx: ValidationContext): ValidationResult {
  const identity = resolveIdentity(workbook, ctx);
  const problems = [...identity.problems];
  const { dept, period } = identity;
  const result = (extra: Partial<ValidationResult> = {}): ValidationResult => ({
    dept,
    period,
    problems,
    values: [],
    rows: 0,
    ...extra,
  });

  const parsedPeriod = period ? parsePeriod(period) : undefined;
  if (period && (!parsedPeriod || parsedPeriod.year !== ctx.catalog.year)) {
    problems.push(
      problem({
        code: 'period-invalid',
        zh: parsedPeriod
          ? `月份 ${period} 不属于 ${ctx.catalog.year} 年目标目录`
          : `月份「${quote(period)}」格式不对,应为 YYYY-MM(如 2023-06)`,
        en: parsedPeriod
          ? `period ${period} is outside the ${ctx.catalog.year} catalog`
          : `period "${quote(period)}" must be written YYYY-MM (e.g. 2023-06)`,
        value: period,
      }),
    );
  }
  const department = dept ? ctx.catalog.departments.find((d) => d.id === dept) : undefined;
  if (dept && !department) {
    problems.push(
      problem({
        code: 'dept-unknown',
        zh: `单位代码「${quote(dept)}」不在 ${ctx.catalog.year} 年目标目录中`,
        en: `department "${quote(dept)}" is not in the ${ctx.catalog.year} catalog`,
        value: dept,
      }),
    );
  }
  if (!workbook.data) {
    problems.push(
      problem({
        code: 'data-sheet-missing',
        sheet: DATA_SHEET,
        zh: `找不到工作表「${DATA_SHEET}」(现有:${workbook.sheetNames.join('、') || '无'}),请勿改动工作表名称`,
        en: `the sheet "${DATA_SHEET}" is missing (found: ${workbook.sheetNames.join(', ') || 'none'}); do not rename sheets`,
      }),
    );
    return result();
  }
  if (!dept || !period || !department || !parsedPeriod || problems.some((p) => p.severity === 'error')) {
    return result();
  }

  const expected = indicatorsForDept(ctx.catalog, dept);
  const expectedTemplateId = templateId(
    dept,
    period,
    ctx.catalog.year,
    expected.map((i) => i.code),
  );
  problems.push(...checkCatalogIdentity(workbook, ctx, dept, period, expectedTemplateId));
  const headerProblem = checkHeader(workbook.data.rows);
  if (headerProblem) problems.push(headerProblem);
  if (problems.some((p) => p.severity === 'error')) return result({ templateId: expectedTemplateId });

  const byCode = new Map(ctx.catalog.indicators.map((i) => [i.code, i]));
  const previousValues = new Map(
    ctx.previous && parsePeriod(ctx.previous.period)?.year === parsedPeriod.year
      ? ctx.previous.values.map((v) => [v.code, v])
      : [],
  );
  const seen = new Map<string, string>();
  const values: SubmissionValue[] = [];
  let rows = 0;
  for (const row of workbook.data.rows) {
    if (row.row <= HEADER_ROW) continue;
    if (isBlankRow(row)) continue;
    rows++;
    // The reader's own addresses, computed only for cells that are missing.
    const codeAddress = row.cells[COLUMN.code]?.address ?? cellAddress(COLUMN.code, row.row);
    const valueAddress = row.cells[COLUMN.value]?.address ?? cellAddress(COLUMN.value, row.row);
    const code = cellText(row.cells[COLUMN.code]);
    const indicator = byCode.get(code);
    const at = { sheet: DATA_SHEET, cell: codeAddress, value: code };
    if (!indicator) {
      problems.push(INDICATOR_CODE.test(code) ? unknownCode(code, at) : addedRow(row, at));
      continue;
    }
    if (indicator.dept !== dept) {
      problems.push(
        problem({
          ...at,
          indicator: code,
          indicatorName: indicator.name,
          code: 'indicator-other-dept',
          zh: `指标「${indicator.name}」由${deptShortName(ctx.catalog, indicator.dept)}填报,不属于本单位(${deptShortName(ctx.catalog, dept)})`,
          en: `indicator "${indicator.name}" is reported by ${deptShortName(ctx.catalog, indicator.dept)}, not by ${deptShortName(ctx.catalog, dept)}`,
        }),
      );
      continue;
    }
    const first = seen.get(code);
    if (first) {
      problems.push(
        problem({
          ...at,
          indicator: code,
          indicatorName: indicator.name,
          code: 'indicator-duplicate',
          zh: `指标「${indicator.name}」重复出现(首次在 ${first}),每个指标只能填一行`,
          en: `indicator ${code} appears again (first at ${first}); one row per indicator`,
        }),
      );
      continue;
    }
    seen.set(code, codeAddress);
    const note = cellText(row.cells[COLUMN.note]);
    const noteProblems = note
      ? checkNote(note, row.cells[COLUMN.note]?.address ?? cellAddress(COLUMN.note, row.row), indicator)
      : [];
    problems.push(...noteProblems);
    const outcome = readValue(row.cells[COLUMN.value], indicator, valueAddress, parsedPeriod.month);
    if (outcome.ok === 'skip') continue;
    if (!outcome.ok) {
      problems.push(outcome.problem);
      continue;
    }
    if (noteProblems.some((p) => p.severity === 'error')) continue;
    const comparison = compareWithLastMonth(
      indicator,
      outcome.value,
      note,
      previousValues.get(code),
      valueAddress,
    );
    if (comparison) problems.push(comparison);
    values.push(note ? { code, value: outcome.value, note } : { code, value: outcome.value });
  }
  for (const indicator of expected) {
    if (seen.has(indicator.code)) continue;
    problems.push(
      problem({
        code: 'indicator-missing',
        sheet: DATA_SHEET,
        indicator: indicator.code,
        indicatorName: indicator.name,
        zh: `缺少指标「${indicator.name}」的行,请勿删除指标行`,
        en: `the row for indicator "${indicator.name}" (${indicator.code}) is missing; do not delete rows`,
      }),
    );
  }
  const signatures = readSignatures(workbook.data.rows, problems);
  return {
    dept,
    period,
    templateId: expectedTemplateId,
    problems,
    values,
    rows,
    ...(signatures ? { signatures } : {}),
  };
}
