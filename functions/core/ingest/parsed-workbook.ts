/**
 * What the bounded reader hands to validation: only the cells validation needs, with
 * enough of their origin (formula, error, percent format) to judge them precisely.
 */

export interface ParsedCell {
  /** A1 address. */
  readonly address: string;
  /** Cached value for formulas; null when the cell (or the formula's cache) is empty. */
  readonly value: number | string | boolean | null;
  /** True when the cell holds a formula. */
  readonly formula: boolean;
  /** Excel error literal (#DIV/0!, #REF! …) when the cell evaluates to an error. */
  readonly error?: string;
  /** True when the cell's number format shows a percentage (0.125 displayed as 12.5%). */
  readonly percentFormat?: boolean;
}

export interface ParsedRow {
  /** One-based row number. */
  readonly row: number;
  /** Cells by zero-based column; missing cells are undefined. */
  readonly cells: readonly (ParsedCell | undefined)[];
}

export interface ParsedSheet {
  readonly name: string;
  readonly rows: readonly ParsedRow[];
}

export interface MetaEntry {
  readonly value: string;
  /** A1 address of the value cell. */
  readonly address: string;
}

export interface ParsedWorkbook {
  readonly sheetNames: readonly string[];
  /** The data sheet (填报), when present. */
  readonly data?: ParsedSheet;
  /** Key/value pairs of the hidden _meta sheet (column A → column B), when present. */
  readonly meta?: Readonly<Record<string, MetaEntry>>;
}

export function cellText(cell: ParsedCell | undefined): string {
  if (!cell || cell.value === null) return '';
  return String(cell.value).trim();
}
