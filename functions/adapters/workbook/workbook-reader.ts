import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { MetaEntry, ParsedCell, ParsedRow, ParsedWorkbook } from '../../core/ingest/parsed-workbook.ts';
import { cellAddress, problem } from '../../core/ingest/problems.ts';
import { COLUMN, DATA_SHEET, HEADER_ROW, META_SHEET } from '../../core/ingest/template-contract.ts';
import {
  DEFAULT_LIMITS,
  type GuardLimits,
  guardWorkbook,
  inflateEntry,
  WorkbookRejectedError,
  type ZipEntry,
} from './zip-guard.ts';

/**
 * Bounded reader for department workbooks: guard the zip directory, then stream only the
 * parts validation needs (workbook, relationships, styles, shared strings, 填报, _meta)
 * through a capped inflater into a SAX parser. Nothing else in the file is inflated, no
 * DOM is built, and only the first columns of each row are kept.
 */

/** Columns kept in the header row: the six template columns plus a few to notice extra ones. */
const HEADER_COLUMNS = 10;

/**
 * Columns kept below the header: those validation reads (code, value, note). Name, unit
 * and target are the template's own text; skipping them keeps a 50,000-row sheet lean.
 */
const DATA_COLUMNS: readonly boolean[] = Array.from({ length: HEADER_COLUMNS }, (_, c) =>
  [COLUMN.code, COLUMN.value, COLUMN.note].includes(c as 0 | 4 | 5),
);

/** Zero-based column of an A1 reference, without a regex (called for every cell). */
function columnOf(ref: string): number {
  let column = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return column - 1;
}

type Handlers = {
  open?: (name: string, attributes: Record<string, string>) => void;
  close?: (name: string) => void;
  text?: (text: string) => void;
};

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function scanXml(bytes: Uint8Array, entry: ZipEntry, handlers: Handlers): void {
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
  // Excel writes unprefixed names; some producers prefix every tag (x:c). The root tells which.
  let prefixed: boolean | undefined;
  const nameOf = (raw: string): string => {
    prefixed ??= raw.includes(':');
    return prefixed ? localName(raw) : raw;
  };
  if (open) parser.on('opentag', (tag: SaxesTagPlain) => open(nameOf(tag.name), tag.attributes));
  if (close) parser.on('closetag', (tag: SaxesTagPlain) => close(nameOf(tag.name)));
  if (text) parser.on('text', text);
  const decoder = new TextDecoder('utf-8');
  inflateEntry(bytes, entry, (chunk) => {
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

function readSheetRefs(bytes: Uint8Array, entry: ZipEntry): SheetRef[] {
  const sheets: SheetRef[] = [];
  scanXml(bytes, entry, {
    open(name, attrs) {
      if (name === 'sheet' && attrs.name)
        sheets.push({ name: attrs.name, rid: attrs['r:id'] ?? attrs.id ?? '' });
    },
  });
  return sheets;
}

function readRelationships(bytes: Uint8Array, entry: ZipEntry): Map<string, string> {
  const targets = new Map<string, string>();
  scanXml(bytes, entry, {
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
function readPercentStyles(bytes: Uint8Array, entry: ZipEntry): Set<number> {
  const customPercent = new Set<string>();
  const percentStyles = new Set<number>();
  let inCellXfs = false;
  let xfIndex = 0;
  scanXml(bytes, entry, {
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

/**
 * Shared strings are a flat list of <si> items; a scan by indexOf reads them several times
 * faster than a SAX pass. Anything unusual (a DTD, CDATA) goes through saxes instead.
 */
/** A shared string by index; '' for an index the table does not have. */
type SharedStrings = (index: number) => string;

/** Items are located by one indexOf scan and decoded only when a kept cell refers to them. */
function readSharedStrings(bytes: Uint8Array, entry: ZipEntry): SharedStrings {
  const parts: string[] = [];
  const decoder = new TextDecoder('utf-8');
  inflateEntry(bytes, entry, (chunk) => parts.push(decoder.decode(chunk, { stream: true })));
  parts.push(decoder.decode());
  const xml = parts.join('');
  if (xml.includes('<!')) return strictly(bytes, entry);
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (;;) {
    const open = xml.indexOf('<si', at);
    if (open < 0) break;
    const next = xml.charCodeAt(open + 3);
    // <si> or <si …>; another tag that merely starts with "si" is not an item.
    if (next !== 62 && next !== 32 && next !== 47) {
      at = open + 3;
      continue;
    }
    if (next === 47) {
      starts.push(open);
      ends.push(-1);
      at = open + 4;
      continue;
    }
    const close = xml.indexOf('</si>', open);
    if (close < 0) return strictly(bytes, entry);
    starts.push(open);
    ends.push(close);
    at = close + 5;
  }
  return (index) => {
    const start = starts[index];
    const end = ends[index] ?? -1;
    return start === undefined || end < 0 ? '' : siText(xml.slice(start, end), entry);
  };
}

function strictly(bytes: Uint8Array, entry: ZipEntry): SharedStrings {
  const strings = readSharedStringsStrictly(bytes, entry);
  return (index) => strings[index] ?? '';
}

function readSharedStringsStrictly(bytes: Uint8Array, entry: ZipEntry): string[] {
  const strings: string[] = [];
  let current: string[] = [];
  let inText = false;
  let inPhonetic = false;
  scanXml(bytes, entry, {
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
}

function readRows(bytes: Uint8Array, entry: ZipEntry, ctx: SheetContext): ParsedRow[] {
  const rows: ParsedRow[] = [];
  let rowNumber = 0;
  let cells: (ParsedCell | undefined)[] = [];
  let column = -1;
  let type = 'n';
  let style: string | undefined;
  let formula = false;
  let collecting: 'v' | 't' | undefined;
  let value = '';
  let hasValue = false;
  let keep = false;
  let ref: string | undefined;
  scanXml(bytes, entry, {
    open(name, attrs) {
      switch (name) {
        case 'row':
          rowNumber = attrs.r ? Number(attrs.r) : rowNumber + 1;
          if (rows.length >= ctx.maxRows) {
            throw new WorkbookRejectedError(
              problem({
                code: 'too-many-rows',
                sheet: ctx.sheetName,
                zh: `工作表「${ctx.sheetName}」超过 ${ctx.maxRows} 行,不是正常的填报模板`,
                en: `the sheet "${ctx.sheetName}" has more than ${ctx.maxRows} rows; not a normal template`,
                value: ctx.maxRows,
              }),
            );
          }
          cells = [];
          column = -1;
          break;
        case 'c': {
          ref = attrs.r;
          column = ref ? columnOf(ref) : column + 1;
          keep =
            column < HEADER_COLUMNS &&
            (rowNumber === HEADER_ROW || !ctx.dataColumnsOnly || DATA_COLUMNS[column] === true);
          if (!keep) break;
          type = attrs.t ?? 'n';
          style = attrs.s;
          formula = false;
          value = '';
          hasValue = false;
          break;
        }
        case 'f':
          formula = true;
          break;
        case 'v':
          collecting = 'v';
          hasValue = true;
          break;
        case 't':
          if (type === 'inlineStr') {
            collecting = 't';
            hasValue = true;
          }
          break;
      }
    },
    text(text) {
      if (collecting && keep) value += text;
    },
    close(name) {
      if (name === 'v' || name === 't') {
        collecting = undefined;
      } else if (name === 'c' && keep) {
        const address = ref ?? cellAddress(column, rowNumber);
        cells[column] = toCell(address, type, style, formula, hasValue ? value : null, ctx);
      } else if (name === 'row') {
        if (cells.length > 0) rows.push({ row: rowNumber, cells });
      }
    },
  });
  return rows;
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

export interface ReadOptions {
  readonly limits?: GuardLimits;
}

/** Guards then reads a workbook; throws WorkbookRejectedError with the problem for refusals. */
export function readWorkbook(bytes: Uint8Array, options: ReadOptions = {}): ParsedWorkbook {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const entries = guardWorkbook(bytes, limits);
  const byName = new Map(entries.map((e) => [e.name.replace(/^\//, ''), e]));
  const workbookEntry = byName.get('xl/workbook.xml');
  const relsEntry = byName.get('xl/_rels/workbook.xml.rels');
  if (!workbookEntry || !relsEntry) {
    throw new WorkbookRejectedError(
      problem({
        code: 'not-a-workbook',
        zh: '文件是压缩包但不是 Excel 工作簿(缺少 workbook.xml),请使用下载的模板',
        en: 'the file is a zip but not an Excel workbook (no workbook.xml); use the downloaded template',
      }),
    );
  }
  const sheets = readSheetRefs(bytes, workbookEntry);
  const targets = readRelationships(bytes, relsEntry);
  const stylesEntry = byName.get('xl/styles.xml');
  const stringsEntry = byName.get('xl/sharedStrings.xml');
  const ctxBase = {
    sharedStrings: stringsEntry ? readSharedStrings(bytes, stringsEntry) : () => '',
    percentStyles: stylesEntry ? readPercentStyles(bytes, stylesEntry) : new Set<number>(),
    maxRows: limits.maxRows,
  };
  const sheetRows = (name: string): ParsedRow[] | undefined => {
    const ref = sheets.find((s) => s.name === name);
    const target = ref ? targets.get(ref.rid) : undefined;
    const entry = target ? byName.get(target) : undefined;
    return entry
      ? readRows(bytes, entry, { ...ctxBase, sheetName: name, dataColumnsOnly: name === DATA_SHEET })
      : undefined;
  };
  const dataRows = sheetRows(DATA_SHEET);
  const metaRows = sheetRows(META_SHEET);
  return {
    sheetNames: sheets.map((s) => s.name),
    data: dataRows ? { name: DATA_SHEET, rows: dataRows } : undefined,
    meta: metaRows ? readMeta(metaRows) : undefined,
  };
}
