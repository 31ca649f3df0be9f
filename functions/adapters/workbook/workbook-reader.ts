import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { MetaEntry, ParsedCell, ParsedRow, ParsedWorkbook } from '../../core/ingest/parsed-workbook.ts';
import { cellAddress, problem } from '../../core/ingest/problems.ts';
import {
  COLUMN,
  DATA_SHEET,
  HEADER_ROW,
  META_SHEET,
  SIGNATURE_BLOCK,
} from '../../core/ingest/template-contract.ts';
import { DEFAULT_LIMITS, type GuardLimits } from '../../core/ingest/upload-limits.ts';
import type { ReadUpload, WorkbookReader } from '../../use-cases/ports/ingest.ts';
import { columnOf, type SheetSink, scanSheet } from './sheet-scanner.ts';
import { WorkbookParts } from './workbook-parts.ts';
import { inflatePrefix, WorkbookRejectedError, type ZipEntry } from './zip-guard.ts';

/**
 * Bounded reader for department workbooks: guard the zip directory, then inflate only the
 * parts validation needs (workbook, relationships, styles, shared strings, 填报, _meta),
 * never beyond their declared size. Sheets go through the strict scanner (sheet-scanner.ts)
 * when they are the plain XML spreadsheet writers produce, and through saxes otherwise;
 * nothing else in the file is inflated, no DOM is built, and only the first columns of
 * each row are kept.
 */

/** Columns kept in the header row: the six template columns plus a few to notice extra ones. */
const HEADER_COLUMNS = 10;

/**
 * Columns kept below the header: those validation reads (code, value, note, and the
 * signature block beside the table). Name, unit and target are the template's own text;
 * skipping them keeps a 50,000-row sheet lean.
 */
const DATA_COLUMNS: readonly boolean[] = Array.from({ length: HEADER_COLUMNS }, (_, c) =>
  (
    [
      COLUMN.code,
      COLUMN.value,
      COLUMN.note,
      SIGNATURE_BLOCK.labelColumn,
      SIGNATURE_BLOCK.valueColumn,
    ] as number[]
  ).includes(c),
);

type Handlers = {
  open?: (name: string, attributes: Record<string, string>) => void;
  close?: (name: string) => void;
  text?: (text: string) => void;
};

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function scanXml(parts: WorkbookParts, entry: ZipEntry, handlers: Handlers): void {
  const parser = new SaxesParser({ xmlns: false, position: false });
  let failure: Error | undefined;
  parser.on('doctype', () => {
    failure ??= new WorkbookRejectedError(
      problem({
        code: 'xml-entity',
        zh: `工作簿内部文件 ${entry.name} 含有 DTD/实体声明,出于安全考虑已拒收`,
        en: `the part ${entry.name} declares a DTD or entities; refused for safety`,
        value: entry.name,
      }),
    );
  });
  parser.on('error', (error) => {
    const entity = /entity/i.test(error.message);
    failure ??= new WorkbookRejectedError(
      problem({
        code: entity ? 'xml-entity' : 'xml-malformed',
        zh: entity
          ? `工作簿内部文件 ${entry.name} 引用了外部或未定义的实体,出于安全考虑已拒收`
          : `工作簿内部文件 ${entry.name} 的 XML 已损坏,请在 Excel 中重新保存后上传`,
        en: entity
          ? `the part ${entry.name} refers to an external or undefined entity; refused for safety`
          : `the part ${entry.name} is not well-formed XML; save the workbook again in Excel`,
        value: entry.name,
      }),
    );
  });
  const { open, close, text } = handlers;
  // Excel writes unprefixed names; some producers prefix every tag (x:c). The root tells
  // which, so the handlers are bound once and the per-tag path does no name rewriting.
  if (open || close) {
    parser.on('opentag', (root: SaxesTagPlain) => {
      const prefixed = root.name.includes(':');
      if (open) {
        parser.on(
          'opentag',
          prefixed
            ? (tag: SaxesTagPlain) => open(localName(tag.name), tag.attributes)
            : (tag: SaxesTagPlain) => open(tag.name, tag.attributes),
        );
        open(prefixed ? localName(root.name) : root.name, root.attributes);
      } else {
        parser.off('opentag');
      }
      if (close) {
        parser.on(
          'closetag',
          prefixed
            ? (tag: SaxesTagPlain) => close(localName(tag.name))
            : (tag: SaxesTagPlain) => close(tag.name),
        );
      }
    });
  }
  if (text) parser.on('text', text);
  const decoder = new TextDecoder('utf-8');
  parts.stream(entry, (chunk) => {
    if (failure) throw failure;
    parser.write(decoder.decode(chunk, { stream: true }));
    if (failure) throw failure;
  });
  parser.write(decoder.decode());
  parser.close();
  if (failure) throw failure;
}

interface SheetRef {
  readonly name: string;
  readonly rid: string;
}

function readSheetRefs(parts: WorkbookParts, entry: ZipEntry): SheetRef[] {
  const sheets: SheetRef[] = [];
  scanXml(parts, entry, {
    open(name, attrs) {
      if (name === 'sheet' && attrs.name)
        sheets.push({ name: attrs.name, rid: attrs['r:id'] ?? attrs.id ?? '' });
    },
  });
  return sheets;
}

function readRelationships(parts: WorkbookParts, entry: ZipEntry): Map<string, string> {
  const targets = new Map<string, string>();
  scanXml(parts, entry, {
    open(name, attrs) {
      if (name !== 'Relationship' || !attrs.Id || !attrs.Target) return;
      const target = attrs.Target.startsWith('/') ? attrs.Target.slice(1) : `xl/${attrs.Target}`;
      targets.set(attrs.Id, target);
    },
  });
  return targets;
}

const BUILTIN_PERCENT_FORMATS = new Set(['9', '10']);

/** Style indexes (the `s` of a cell) whose number format shows a percentage. */
function readPercentStyles(parts: WorkbookParts, entry: ZipEntry): Set<number> {
  const customPercent = new Set<string>();
  const percentStyles = new Set<number>();
  let inCellXfs = false;
  let xfIndex = 0;
  scanXml(parts, entry, {
    open(name, attrs) {
      if (name === 'numFmt' && attrs.numFmtId && /%/.test((attrs.formatCode ?? '').replace(/"[^"]*"/g, ''))) {
        customPercent.add(attrs.numFmtId);
      } else if (name === 'cellXfs') {
        inCellXfs = true;
      } else if (name === 'xf' && inCellXfs) {
        const id = attrs.numFmtId ?? '0';
        if (BUILTIN_PERCENT_FORMATS.has(id) || customPercent.has(id)) percentStyles.add(xfIndex);
        xfIndex++;
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return percentStyles;
}

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function entityRejection(entry: ZipEntry, what: string): WorkbookRejectedError {
  return new WorkbookRejectedError(
    problem({
      code: 'xml-entity',
      zh: `工作簿内部文件 ${entry.name} 含有 DTD 或未定义的实体(${what}),出于安全考虑已拒收`,
      en: `the part ${entry.name} declares a DTD or uses an undefined entity (${what}); refused for safety`,
      value: entry.name,
    }),
  );
}

function decodeEntities(text: string, entry: ZipEntry): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&<]{0,10});?/g, (match, name: string) => {
    if (match.endsWith(';')) {
      if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      const known = XML_ENTITIES[name];
      if (known !== undefined) return known;
    }
    throw entityRejection(entry, match);
  });
}

/** The text of one <si>: its <t> runs, without phonetic (<rPh>) runs. */
function siText(body: string, entry: ZipEntry): string {
  // Most items are a single plain run: <si><t>text</t>.
  if (body.startsWith('<si><t>') && body.indexOf('<', 7) === body.length - 4 && body.endsWith('</t>')) {
    return decodeEntities(body.slice(7, -4), entry);
  }
  const plain = body.includes('<rPh') ? body.replace(/<rPh[\s>][\s\S]*?<\/rPh>/g, '') : body;
  let text = '';
  for (const m of plain.matchAll(/<t(?:\s[^>]*)?(?:\/>|>([^<]*)<\/t>)/g)) text += m[1] ?? '';
  return decodeEntities(text, entry);
}

/** A shared string by index; '' for an index the table does not have. */
type SharedStrings = (index: number) => string;

const LT = 60; // <
const GT = 62; // >
const SLASH = 47; // /
const SPACE = 32;
const LETTER_S = 115;
const LETTER_I = 105;

/** True at `at` when the bytes spell </si>. */
function closesItem(xml: Uint8Array, at: number): boolean {
  return xml[at + 1] === SLASH && xml[at + 2] === LETTER_S && xml[at + 3] === LETTER_I && xml[at + 4] === GT;
}

/**
 * Shared strings are a flat list of <si> items; locating them by position in the inflated
 * bytes is several times faster than a SAX pass, and only the items a kept cell refers to
 * are ever decoded to text. Anything unusual (a DTD, CDATA) goes through saxes instead.
 */
function readSharedStrings(parts: WorkbookParts, entry: ZipEntry, fast: boolean): SharedStrings {
  const xml = parts.whole(entry, fast);
  if (Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength).includes('<!')) return strictly(parts, entry);
  const length = xml.length;
  let starts = new Int32Array(1024);
  let ends = new Int32Array(1024);
  let count = 0;
  let at = xml.indexOf(LT);
  while (at >= 0) {
    // <si> or <si …>; another tag that merely starts with "si" is not an item.
    const next = xml[at + 3];
    if (
      xml[at + 1] !== LETTER_S ||
      xml[at + 2] !== LETTER_I ||
      (next !== GT && next !== SPACE && next !== SLASH)
    ) {
      at = xml.indexOf(LT, at + 1);
      continue;
    }
    let end = -1;
    let resume = at + 4;
    if (next !== SLASH) {
      end = xml.indexOf(LT, at + 3);
      while (end >= 0 && !closesItem(xml, end)) end = xml.indexOf(LT, end + 1);
      if (end < 0) return strictly(parts, entry);
      resume = end + 5;
    }
    if (count === starts.length) {
      starts = grow(starts);
      ends = grow(ends);
    }
    starts[count] = at;
    ends[count] = end;
    count++;
    at = resume < length ? xml.indexOf(LT, resume) : -1;
  }
  const decoder = new TextDecoder('utf-8');
  return (index) => {
    if (!(index >= 0 && index < count)) return '';
    const end = ends[index] as number;
    return end < 0 ? '' : siText(decoder.decode(xml.subarray(starts[index], end)), entry);
  };
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}

function strictly(parts: WorkbookParts, entry: ZipEntry): SharedStrings {
  const strings = readSharedStringsStrictly(parts, entry);
  return (index) => strings[index] ?? '';
}

function readSharedStringsStrictly(parts: WorkbookParts, entry: ZipEntry): string[] {
  const strings: string[] = [];
  let current: string[] = [];
  let inText = false;
  let inPhonetic = false;
  scanXml(parts, entry, {
    open(name) {
      if (name === 'si') current = [];
      else if (name === 't' && !inPhonetic) inText = true;
      else if (name === 'rPh') inPhonetic = true;
    },
    close(name) {
      if (name === 'si') strings.push(current.join(''));
      else if (name === 't') inText = false;
      else if (name === 'rPh') inPhonetic = false;
    },
    text(text) {
      if (inText) current.push(text);
    },
  });
  return strings;
}

interface SheetContext {
  readonly sharedStrings: SharedStrings;
  readonly percentStyles: ReadonlySet<number>;
  readonly maxRows: number;
  readonly sheetName: string;
  /** Keep only the columns validation reads below the header (the data sheet). */
  readonly dataColumnsOnly: boolean;
  readonly scanner?: SheetScanner;
  readonly onScannerFallback?: (part: string) => void;
  /** Sheets inflating to more than this many bytes are counted before they are read. */
  readonly countRowsAbove: number;
}

const TAG_C = 99; // c
const TAG_F = 102; // f
const TAG_T = 116; // t
const TAG_V = 118; // v

/**
 * Rows from a sheet's events, whichever scanner produced them: ~12 events per data row,
 * and cells outside the kept columns cost one column computation and nothing else.
 */
class RowAssembler implements SheetSink {
  readonly rows: ParsedRow[] = [];
  private rowNumber = 0;
  private cells: (ParsedCell | undefined)[] = [];
  private allColumns: boolean;
  private column = -1;
  private type = 'n';
  private style: string | undefined;
  private formula = false;
  private collecting = false;
  private value = '';
  private hasValue = false;
  private keep = false;
  private ref: string | undefined;
  /** Every <row> element, kept or not: the limit is on what the sheet holds, not on what is kept. */
  private rowElements = 0;

  constructor(private readonly ctx: SheetContext) {
    this.allColumns = !ctx.dataColumnsOnly;
  }

  get nextColumn(): number {
    return this.column + 1;
  }

  get wantsText(): boolean {
    return this.collecting && this.keep;
  }

  startRow(r: string | undefined): void {
    this.startRowNumber(r ? Number(r) : this.rowNumber + 1);
  }

  startRowNumber(row: number): void {
    this.rowNumber = row;
    if (++this.rowElements > this.ctx.maxRows) throw tooManyRows(this.ctx);
    this.cells = [];
    this.column = -1;
    this.allColumns = !this.ctx.dataColumnsOnly || row === HEADER_ROW;
  }

  startCell(column: number): boolean {
    this.column = column;
    this.keep = column < HEADER_COLUMNS && (this.allColumns || DATA_COLUMNS[column] === true);
    return this.keep;
  }

  keepCell(ref: string | undefined, type: string, style: string | undefined): void {
    this.ref = ref;
    this.type = type;
    this.style = style;
    this.formula = false;
    this.value = '';
    this.hasValue = false;
  }

  startValue(): void {
    this.collecting = true;
    this.hasValue = true;
  }

  startFormula(): void {
    this.formula = true;
  }

  startText(): void {
    if (this.type === 'inlineStr') this.startValue();
  }

  text(text: string): void {
    if (this.collecting && this.keep) this.value += text;
  }

  endText(): void {
    this.collecting = false;
  }

  endCell(): void {
    if (!this.keep) return;
    const { column, rowNumber } = this;
    this.cells[column] = toCell(
      this.ref ?? cellAddress(column, rowNumber),
      this.type,
      this.style,
      this.formula,
      this.hasValue ? this.value : null,
      this.ctx,
    );
  }

  endRow(): void {
    if (this.cells.length > 0) this.rows.push({ row: this.rowNumber, cells: this.cells });
  }
}

/** The saxes events of a sheet as assembler calls. */
function readRowsWithSaxes(parts: WorkbookParts, entry: ZipEntry, ctx: SheetContext): ParsedRow[] {
  const rows = new RowAssembler(ctx);
  scanXml(parts, entry, {
    open(name, attrs) {
      if (name.length === 1) {
        const tag = name.charCodeAt(0);
        if (tag === TAG_C) {
          const ref = attrs.r;
          if (rows.startCell(ref ? columnOf(ref) : rows.nextColumn))
            rows.keepCell(ref, attrs.t ?? 'n', attrs.s);
        } else if (tag === TAG_V) {
          rows.startValue();
        } else if (tag === TAG_F) {
          rows.startFormula();
        } else if (tag === TAG_T) {
          rows.startText();
        }
      } else if (name === 'row') {
        rows.startRow(attrs.r);
      }
    },
    text(text) {
      rows.text(text);
    },
    close(name) {
      if (name.length === 1) {
        const tag = name.charCodeAt(0);
        if (tag === TAG_C) rows.endCell();
        else if (tag === TAG_V || tag === TAG_T) rows.endText();
      } else if (name === 'row') {
        rows.endRow();
      }
    },
  });
  return rows.rows;
}

/**
 * The sheet through the strict scanner; undefined when the part is outside its subset or
 * reading it raised anything (a size mismatch, too many rows, a bad shared string), so that
 * saxes reads it again from the start and decides, in its own order, what the answer is.
 */
function readRowsFast(parts: WorkbookParts, entry: ZipEntry, ctx: SheetContext): ParsedRow[] | undefined {
  try {
    const xml = new TextDecoder('utf-8').decode(parts.whole(entry, true));
    const rows = new RowAssembler(ctx);
    return scanSheet(xml, rows) ? rows.rows : undefined;
  } catch (error) {
    // Every row up to the limit was in the scanner's subset, so saxes would stop at the same
    // row: reading the sheet again only to say so cost seconds on a million-row sheet.
    if (error instanceof WorkbookRejectedError && error.problem.code === 'too-many-rows') throw error;
    return undefined;
  }
}

/** How much of a sheet is inflated to find its <dimension>, which writers put before <sheetData>. */
const DIMENSION_HEAD_BYTES = 16 * 1024;

const DIMENSION =
  /<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref\s*=\s*["']\$?[A-Z]{0,3}\$?(\d*)(?::\$?[A-Z]{1,3}\$?(\d+))?["']/;

/**
 * Refuses a sheet whose <dimension> (the used range Excel, LibreOffice, WPS and openpyxl write
 * at the top of every sheet) spans more rows than the limit, from its first kilobytes and
 * before the rest is inflated. A sheet without one, or whose range understates it, is still
 * stopped by the row counter while it is read.
 */
function checkDimension(parts: WorkbookParts, entry: ZipEntry, ctx: SheetContext): void {
  if (entry.uncompressedSize <= DIMENSION_HEAD_BYTES) return;
  const head = new TextDecoder('utf-8').decode(parts.head(entry, DIMENSION_HEAD_BYTES));
  const sheetData = head.search(/<(?:[A-Za-z_][\w.-]*:)?sheetData[\s>/]/);
  const m = DIMENSION.exec(sheetData < 0 ? head : head.slice(0, sheetData));
  if (!m) return;
  const first = m[1] ? Number(m[1]) : 1;
  const last = m[2] ? Number(m[2]) : first;
  if (last - first + 1 > ctx.maxRows)
    throw tooManyRows(ctx, `${m[0].replace(/^.*ref\s*=\s*["']|["']$/g, '')}`);
}

/**
 * A sheet this large is counted before it is read: inflating the whole of it (a million rows
 * is ~100 MB of XML) costs seconds and hundreds of megabytes, while counting stops at the
 * row past the limit. Smaller sheets are read whole at once, the row counter inside the reader
 * stopping them just as early.
 */
export const COUNT_ROWS_ABOVE_BYTES = 24 * 1024 * 1024;

/** Compressed bytes the first count inflates; each further count reads twice as many. */
const COUNT_FIRST_BYTES = 256 * 1024;

/**
 * Counts the sheet's <row …> tags (no '<' can occur in XML text or attribute values, so each
 * is a tag) in ever longer prefixes of its compressed data, inflated by the runtime's zlib,
 * and refuses it as soon as a prefix holds more rows than the limit: a million-row sheet is
 * refused after inflating not much more than its first 100,001 rows, never the whole part.
 * Keeps nothing: the part is inflated again by the reader if it passes.
 */
function countRows(parts: WorkbookParts, entry: ZipEntry, ctx: SheetContext): void {
  const head = new TextDecoder('utf-8').decode(parts.head(entry, DIMENSION_HEAD_BYTES));
  const prefix = /<([A-Za-z_][\w.-]*:)?worksheet[\s>]/.exec(head)?.[1] ?? '';
  const tag = Buffer.from(`<${prefix}row`);
  for (let compressed = COUNT_FIRST_BYTES; ; ) {
    const rows = rowTags(inflatePrefix(parts.bytes, entry, compressed), tag);
    if (rows > ctx.maxRows) throw tooManyRows(ctx);
    if (compressed >= entry.compressedSize) return;
    // The next prefix: at least twice this one, and a quarter past where the rows so far say
    // the row past the limit lies, so a sheet of even rows is usually refused on the second count.
    const estimate = rows > 0 ? (compressed * (ctx.maxRows + 1)) / rows : 0;
    compressed = Math.ceil(Math.max(compressed * 2, estimate * 1.25));
  }
}

/** The <row …> start tags in `xml` (a tag cut off at its end is not counted). */
function rowTags(xml: Uint8Array, tag: Buffer): number {
  const text = Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength);
  let count = 0;
  for (let at = text.indexOf(tag); at >= 0 && at + tag.length < text.length; at = text.indexOf(tag, at + 1)) {
    const next = text[at + tag.length];
    if (next === 0x20 || next === 0x3e || next === 0x2f || next === 0x09 || next === 0x0a || next === 0x0d)
      count++;
  }
  return count;
}

function readRows(parts: WorkbookParts, entry: ZipEntry, ctx: SheetContext): ParsedRow[] {
  checkDimension(parts, entry, ctx);
  if (entry.uncompressedSize > ctx.countRowsAbove) countRows(parts, entry, ctx);
  if (ctx.scanner === 'saxes') return readRowsWithSaxes(parts, entry, ctx);
  const rows = readRowsFast(parts, entry, ctx);
  if (rows) return rows;
  ctx.onScannerFallback?.(entry.name);
  return readRowsWithSaxes(parts, entry, ctx);
}

function tooManyRows(ctx: SheetContext, range?: string): WorkbookRejectedError {
  const where = range ? `(使用范围 ${range})` : '';
  return new WorkbookRejectedError(
    problem({
      code: 'too-many-rows',
      sheet: ctx.sheetName,
      zh: `工作表「${ctx.sheetName}」超过 ${ctx.maxRows} 行${where},不是正常的填报模板;请删除表格下方多余的行后重新保存`,
      en: `the sheet "${ctx.sheetName}" has more than ${ctx.maxRows} rows${range ? ` (used range ${range})` : ''}; not a normal template — delete the extra rows below the table and save again`,
      value: ctx.maxRows,
    }),
  );
}

function toCell(
  address: string,
  type: string,
  style: string | undefined,
  formula: boolean,
  raw: string | null,
  ctx: SheetContext,
): ParsedCell | undefined {
  if (raw === null || raw === '') {
    return formula ? { address, value: null, formula } : undefined;
  }
  switch (type) {
    case 's':
      return { address, value: ctx.sharedStrings(Number(raw)), formula };
    case 'str':
    case 'inlineStr':
      return { address, value: raw, formula };
    case 'b':
      return { address, value: raw === '1', formula };
    case 'e':
      return { address, value: null, formula, error: raw };
    default: {
      const n = Number(raw);
      if (Number.isNaN(n)) return { address, value: raw, formula };
      const percent =
        style !== undefined && ctx.percentStyles.size > 0 && ctx.percentStyles.has(Number(style));
      return percent ? { address, value: n, formula, percentFormat: true } : { address, value: n, formula };
    }
  }
}

function readMeta(rows: readonly ParsedRow[]): Record<string, MetaEntry> {
  const meta: Record<string, MetaEntry> = {};
  for (const row of rows) {
    const key = row.cells[0]?.value;
    const value = row.cells[1];
    if (typeof key !== 'string' || !key.trim()) continue;
    meta[key.trim()] = {
      value: value?.value === null || value?.value === undefined ? '' : String(value.value).trim(),
      address: cellAddress(1, row.row),
    };
  }
  return meta;
}

/** `strict` reads sheets with the strict scanner where it can (saxes otherwise); `saxes` always with saxes. */
export type SheetScanner = 'strict' | 'saxes';

export interface ReadOptions {
  readonly limits?: GuardLimits;
  /** Default `strict`; `saxes` is the reference the strict scanner is tested against. */
  readonly scanner?: SheetScanner;
  /** Called with the part name when a sheet leaves the strict scanner's subset. */
  readonly onScannerFallback?: (part: string) => void;
  /** Default COUNT_ROWS_ABOVE_BYTES; tests lower it to exercise the count on small sheets. */
  readonly countRowsAbove?: number;
}

/** Guards then reads a workbook; throws WorkbookRejectedError with the problem for refusals. */
export function readWorkbook(bytes: Uint8Array, options: ReadOptions = {}): ParsedWorkbook {
  return readUpload(bytes, options).workbook;
}

/**
 * Guards then reads a workbook, keeping the parts it inflated for the annotated copy; throws
 * WorkbookRejectedError with the problem for refusals.
 */
export function readUpload(bytes: Uint8Array, options: ReadOptions = {}): ReadUpload {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const parts = WorkbookParts.open(bytes, limits);
  const workbookEntry = parts.entry('xl/workbook.xml');
  const relsEntry = parts.entry('xl/_rels/workbook.xml.rels');
  if (!workbookEntry || !relsEntry) {
    if (isOpenDocument(parts)) {
      throw new WorkbookRejectedError(
        problem({
          code: 'open-document',
          zh: '这是 OpenDocument 表格(.ods,LibreOffice 的默认格式),请在 WPS/Excel/LibreOffice 中「另存为」Excel 工作簿(.xlsx)后上传',
          en: 'this is an OpenDocument spreadsheet (.ods, LibreOffice\'s default format); in WPS, Excel or LibreOffice use "Save As" Excel workbook (.xlsx) and upload that',
        }),
      );
    }
    throw new WorkbookRejectedError(
      problem({
        code: 'not-a-workbook',
        zh: '文件是压缩包但不是 Excel 工作簿(缺少 workbook.xml),请使用下载的模板',
        en: 'the file is a zip but not an Excel workbook (no workbook.xml); use the downloaded template',
      }),
    );
  }
  const sheets = readSheetRefs(parts, workbookEntry);
  const targets = readRelationships(parts, relsEntry);
  const stylesEntry = parts.entry('xl/styles.xml');
  const stringsEntry = parts.entry('xl/sharedStrings.xml');
  const ctxBase = {
    sharedStrings: stringsEntry
      ? readSharedStrings(parts, stringsEntry, options.scanner !== 'saxes')
      : () => '',
    percentStyles: stylesEntry ? readPercentStyles(parts, stylesEntry) : new Set<number>(),
    maxRows: limits.maxRows,
    scanner: options.scanner,
    onScannerFallback: options.onScannerFallback,
    countRowsAbove: options.countRowsAbove ?? COUNT_ROWS_ABOVE_BYTES,
  };
  const sheetRows = (name: string): ParsedRow[] | undefined => {
    const ref = sheets.find((s) => s.name === name);
    const target = ref ? targets.get(ref.rid) : undefined;
    const entry = target ? parts.entry(target) : undefined;
    return entry
      ? readRows(parts, entry, { ...ctxBase, sheetName: name, dataColumnsOnly: name === DATA_SHEET })
      : undefined;
  };
  const dataRows = sheetRows(DATA_SHEET);
  const metaRows = sheetRows(META_SHEET);
  return {
    workbook: {
      sheetNames: sheets.map((s) => s.name),
      data: dataRows ? { name: DATA_SHEET, rows: dataRows } : undefined,
      meta: metaRows ? readMeta(metaRows) : undefined,
    },
    parts,
  };
}

/** An OpenDocument package names its type in a first, uncompressed `mimetype` entry. */
function isOpenDocument(parts: WorkbookParts): boolean {
  const entry = parts.entry('mimetype');
  if (!entry) return parts.entry('content.xml') !== undefined;
  if (entry.uncompressedSize > 100) return false;
  return new TextDecoder().decode(parts.head(entry, 100)).startsWith('application/vnd.oasis.opendocument');
}

/** The WorkbookReader port: a refusal is an answer (the problem), anything else a failure. */
export function createWorkbookReader(limits: GuardLimits = DEFAULT_LIMITS): WorkbookReader {
  return {
    limits,
    read(bytes) {
      try {
        return { kind: 'read', upload: readUpload(bytes, { limits }) };
      } catch (error) {
        if (error instanceof WorkbookRejectedError) return { kind: 'rejected', problem: error.problem };
        throw error;
      }
    },
  };
}
