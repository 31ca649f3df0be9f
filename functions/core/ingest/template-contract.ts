import { NOT_STARTED_STAGE, NOT_STARTED_TASK } from '../catalog/catalog-constants.ts';
import type { Indicator, StagedIndicator } from '../catalog/catalog-schema.ts';

/**
 * The department template as a contract (docs/data-model.md, "File contracts"): the template writer produces
 * it and the validator checks uploads against it, so both read these constants.
 */

export const DATA_SHEET = '填报';
export const GUIDE_SHEET = '说明';
export const META_SHEET = '_meta';

export const HEADER = ['指标编码', '指标名称', '计量单位', '年度目标', '本期值', '情况说明'] as const;
export const COLUMN = { code: 0, name: 1, unit: 2, target: 3, value: 4, note: 5 } as const;
/** The header is row 1; indicators start on row 2. */
export const HEADER_ROW = 1;

/**
 * The signature block beside the table, outside the data contract: labels in column H and
 * entries in column I, from row 2 down (row 1 stays the header alone). Offices print, sign
 * and stamp the form; ingest reads the entries when present and records them on the receipt
 * and in the audit log.
 */
export const SIGNATURE_BLOCK = {
  labelColumn: 7,
  valueColumn: 8,
  /** Rows of the block's lines in the template. */
  rows: { dept: 2, period: 3, preparer: 5, phone: 6, reviewer: 7, stamp: 8 },
} as const;

export const SIGNATURE_FIELDS = { preparer: '填报人', phone: '联系电话', reviewer: '审核人' } as const;
export type SignatureField = keyof typeof SIGNATURE_FIELDS;
export type Signatures = Partial<Record<SignatureField, string>>;

export const META_KEYS = {
  dept: 'department',
  period: 'period',
  catalogYear: 'catalogYear',
  catalogVersion: 'catalogVersion',
  templateId: 'templateId',
} as const;

export interface TemplateMeta {
  readonly dept: string;
  readonly period: string;
  readonly catalogYear: number;
  readonly catalogVersion: number;
  readonly templateId: string;
}

/** FNV-1a 32-bit: a stable fingerprint without a crypto import in the pure core. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * Template id: names the department, period and catalog, plus a fingerprint of the
 * indicator rows the template asked for, so a workbook made for another department,
 * month or indicator set is recognised even when someone edits the visible cells.
 */
export function templateId(
  dept: string,
  period: string,
  catalogYear: number,
  codes: readonly string[],
): string {
  return `T${catalogYear}-${dept}-${period}-${fnv1a([...codes].sort().join(','))}`;
}

/** The number a template shows as 年度目标: the target, or the last stage for milestones and tasks. */
export function targetDisplay(indicator: Indicator): number | string {
  if (indicator.kind === 'milestone') return indicator.stages[indicator.stages.length - 1]?.stage ?? '';
  if (indicator.kind === 'qualitative') return indicator.stages[indicator.stages.length - 1] ?? '';
  return indicator.target;
}

/** Is the indicator's value a stage name (milestones and qualitative tasks)? */
export function isStaged(indicator: Indicator): indicator is StagedIndicator {
  return indicator.kind === 'milestone' || indicator.kind === 'qualitative';
}

/** What a department may report for a milestone or task: not started, then its stages in order. */
export function stageChoices(indicator: StagedIndicator): string[] {
  return indicator.kind === 'milestone'
    ? [NOT_STARTED_STAGE, ...indicator.stages.map((s) => s.stage)]
    : [NOT_STARTED_TASK, ...indicator.stages];
}
