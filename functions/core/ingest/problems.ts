import { LIMITS } from '../../shared/limits.ts';

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
  'upload-replaced',
  'not-a-workbook',
  'legacy-xls',
  'open-document',
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
  'upload-name-too-long',
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
  'row-added',
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
  // Text a department typed.
  'note-long',
  'note-too-long',
  'contact-too-long',
  'text-not-printable',
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
  /** Its name, as the department knows it (the messages say the name, not the code). */
  readonly indicatorName?: string | null;
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
  readonly indicatorName?: string | null;
  readonly zh: string;
  readonly en: string;
  readonly value?: string | number | boolean | null;
}

/**
 * Cell text as a message quotes it: whole when short, else its start and how long it is, so
 * a 10 MB cell never travels into a receipt, an annotated comment or the audit log.
 */
export function quote(text: string): string {
  const limit = LIMITS.problemQuoteChars;
  if (text.length <= limit) return text;
  let head = '';
  let count = 0;
  for (const ch of text) {
    if (count === limit) break;
    head += ch;
    count++;
  }
  const total = characterCount(text);
  return total <= limit ? text : `${head}…(${total})`;
}

/** Characters, not UTF-16 units (an emoji counts once), without building an array of them. */
export function characterCount(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0) {
      const before = text.charCodeAt(i - 1);
      if (before >= 0xd800 && before <= 0xdbff) count--;
    }
  }
  return count;
}

/** A message never exceeds this, whatever it quotes (a backstop behind quote()). */
const MESSAGE_CHARS = 1000;

function capped(message: string): string {
  return message.length <= MESSAGE_CHARS ? message : `${message.slice(0, MESSAGE_CHARS)}…`;
}

/** Builds a problem whose messages are prefixed with where it is, so each reads alone. */
export function problem(input: ProblemInput): Problem {
  const sheet = input.sheet ?? null;
  const cell = input.cell ?? null;
  const indicator = input.indicator ?? null;
  const indicatorName = input.indicatorName ?? null;
  // People read the indicator's name; the code stays in the receipt's `indicator` field.
  const whereZh = [
    sheet ? `工作表「${sheet}」` : '',
    cell ? `单元格 ${cell}` : '',
    indicatorName ? `指标「${indicatorName}」` : indicator ? `指标 ${indicator}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const whereEn = [
    sheet ? `sheet "${sheet}"` : '',
    cell ? `cell ${cell}` : '',
    indicatorName ? `indicator "${indicatorName}"` : indicator ? `indicator ${indicator}` : '',
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
    indicatorName,
    message_zh: capped(whereZh ? `${whereZh}:${input.zh}` : input.zh),
    message_en: capped(whereEn ? `${whereEn}: ${input.en}` : input.en),
    value: typeof value === 'string' ? quote(value) : typeof value === 'boolean' ? String(value) : value,
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
