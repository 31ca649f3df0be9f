/**
 * Problems found in an upload, shaped like Frictionless validation errors so a receipt
 * can be read by a department (message_zh), a developer (code) and a spreadsheet tool
 * (sheet + A1 cell) alike. Every message names the sheet, cell and indicator it is about.
 */

export type Severity = 'error' | 'warning';

export const PROBLEM_CODES = [
  // The container, refused before any parsing.
  'file-empty',
  'file-too-large',
  'not-a-workbook',
  'legacy-xls',
  'encrypted-workbook',
  'macro-enabled',
  'zip-corrupt',
  'zip-too-many-entries',
  'zip-too-large-uncompressed',
  'zip-ratio-too-high',
  'zip-entry-encrypted',
  'zip-size-mismatch',
  'xml-entity',
  'xml-malformed',
  'too-many-rows',
  // The workbook's identity.
  'data-sheet-missing',
  'meta-missing',
  'meta-incomplete',
  'template-mismatch',
  'catalog-year-mismatch',
  'catalog-version-outdated',
  'catalog-missing',
  'dept-unknown',
  'dept-mismatch',
  'period-invalid',
  'period-mismatch',
  'header-mismatch',
  // Rows and values.
  'indicator-unknown',
  'indicator-other-dept',
  'indicator-duplicate',
  'indicator-missing',
  'value-empty',
  'value-not-numeric',
  'value-unit-mismatch',
  'value-negative',
  'value-not-integer',
  'percent-out-of-range',
  'stage-unknown',
  'formula-no-cached-result',
  'formula-error',
  'cumulative-decreased',
  'outlier',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface Problem {
  readonly code: ProblemCode;
  readonly severity: Severity;
  /** Sheet name, when the problem is inside the workbook. */
  readonly sheet: string | null;
  /** A1 address, when the problem is about one cell. */
  readonly cell: string | null;
  /** Indicator code, when the problem is about one indicator. */
  readonly indicator: string | null;
  readonly message_zh: string;
  readonly message_en: string;
  /** The offending value as found (text or number), if any. */
  readonly value: string | number | null;
}

export interface ProblemInput {
  readonly code: ProblemCode;
  readonly severity?: Severity;
  readonly sheet?: string | null;
  readonly cell?: string | null;
  readonly indicator?: string | null;
  readonly zh: string;
  readonly en: string;
  readonly value?: string | number | boolean | null;
}

/** Builds a problem whose messages are prefixed with where it is, so each reads alone. */
export function problem(input: ProblemInput): Problem {
  const sheet = input.sheet ?? null;
  const cell = input.cell ?? null;
  const indicator = input.indicator ?? null;
  const whereZh = [
    sheet ? `工作表「${sheet}」` : '',
    cell ? `单元格 ${cell}` : '',
    indicator ? `指标 ${indicator}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const whereEn = [
    sheet ? `sheet "${sheet}"` : '',
    cell ? `cell ${cell}` : '',
    indicator ? `indicator ${indicator}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const value = input.value === undefined || input.value === null ? null : input.value;
  return {
    code: input.code,
    severity: input.severity ?? 'error',
    sheet,
    cell,
    indicator,
    message_zh: whereZh ? `${whereZh}:${input.zh}` : input.zh,
    message_en: whereEn ? `${whereEn}: ${input.en}` : input.en,
    value: typeof value === 'boolean' ? String(value) : value,
  };
}

export function splitProblems(problems: readonly Problem[]): { errors: Problem[]; warnings: Problem[] } {
  return {
    errors: problems.filter((p) => p.severity === 'error'),
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}

/** A1 address of a zero-based column and one-based row. */
export function cellAddress(column: number, row: number): string {
  let n = column + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return `${letters}${row}`;
}

/** Zero-based column and one-based row of an A1 address; undefined when malformed. */
export function parseCellAddress(address: string): { column: number; row: number } | undefined {
  const m = /^([A-Z]{1,3})(\d{1,7})$/.exec(address);
  if (!m?.[1] || !m[2]) return undefined;
  let column = 0;
  for (const ch of m[1]) column = column * 26 + (ch.charCodeAt(0) - 64);
  return { column: column - 1, row: Number(m[2]) };
}
