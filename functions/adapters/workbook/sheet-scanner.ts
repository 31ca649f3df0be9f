/**
 * A strict scanner for worksheet XML as Excel, exceljs and LibreOffice write it. It emits
 * the same events the saxes path derives from a sheet (row, cell, v/f/t open and close,
 * text) but reads the decoded document by position instead of one state transition per
 * character. It accepts only a subset of XML it can check completely — ASCII names,
 * quoted attributes, the five predefined entities and character references, an optional
 * plain XML declaration — and answers false for anything else (`<!` in any form,
 * processing instructions, other entities, malformed or mismatched tags, disallowed
 * characters, a second root, text outside the root) so that the caller hands the part to
 * saxes, which stays the authority on what XML is and how it fails.
 */

/** The events of a sheet, as the row assembler consumes them from either scanner. */
export interface SheetSink {
  /** Column the next cell without an `r` takes. */
  readonly nextColumn: number;
  /** True while text would be kept (inside a kept cell's value). */
  readonly wantsText: boolean;
  /** <row>, its `r` attribute as written (undefined when absent). */
  startRow(r: string | undefined): void;
  /** <row r="…"> with an all-digit `r`, already converted. */
  startRowNumber(row: number): void;
  /** <c>: positions the cell; true when the cell is kept and needs keepCell. */
  startCell(column: number): boolean;
  keepCell(ref: string | undefined, type: string, style: string | undefined): void;
  startValue(): void;
  startFormula(): void;
  startText(): void;
  text(text: string): void;
  endText(): void;
  endCell(): void;
  endRow(): void;
}

/** Zero-based column of an A1 reference: its leading capital letters, as Excel counts them. */
export function columnOf(ref: string): number {
  return columnAt(ref, 0, ref.length);
}

function columnAt(xml: string, from: number, to: number): number {
  let column = 0;
  for (let i = from; i < to; i++) {
    const code = xml.charCodeAt(i);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return column - 1;
}

const LT = 60;
const GT = 62;
const SLASH = 47;
const AMP = 38;
const QUOT = 34;
const APOS = 39;
const EQUALS = 61;
const COLON = 58;
const CR = 13;
const LF = 10;
const TAB = 9;
const SPACE = 32;
const BRACKET = 93;

const OTHER = 0;
const CELL = 1;
const VALUE = 2;
const FORMULA = 3;
const TEXT = 4;
const ROW = 5;

function isSpace(code: number): boolean {
  return code === SPACE || code === LF || code === TAB || code === CR;
}

function isNameStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 58) || code === 45 || code === 46;
}

/** XML 1.0 Char for one UTF-16 unit; TextDecoder never yields lone surrogates. */
function isDisallowed(code: number): boolean {
  return (code < SPACE && code !== TAB && code !== LF && code !== CR) || code === 0xfffe || code === 0xffff;
}

function isXmlChar(n: number): boolean {
  return (
    n === TAB ||
    n === LF ||
    n === CR ||
    (n >= 0x20 && n <= 0xd7ff) ||
    (n >= 0xe000 && n <= 0xfffd) ||
    (n >= 0x10000 && n <= 0x10ffff)
  );
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The entity at `amp` and where it ends, or undefined for anything but the accepted forms. */
function entityAt(xml: string, amp: number): { text: string; end: number } | undefined {
  const semi = xml.indexOf(';', amp + 1);
  if (semi < 0 || semi - amp > 12) return undefined;
  const name = xml.slice(amp + 1, semi);
  const known = Object.hasOwn(PREDEFINED, name) ? PREDEFINED[name] : undefined;
  if (known !== undefined) return { text: known, end: semi + 1 };
  let code = Number.NaN;
  if (/^#x[0-9a-fA-F]+$/.test(name)) code = Number.parseInt(name.slice(2), 16);
  else if (/^#[0-9]+$/.test(name)) code = Number.parseInt(name.slice(1), 10);
  return isXmlChar(code) ? { text: String.fromCodePoint(code), end: semi + 1 } : undefined;
}

/**
 * Character data between two tags, decoded as saxes reports it (entities expanded, CR LF
 * and CR read as LF), or undefined when it holds anything saxes would refuse or that this
 * scanner does not accept. Without `keep` it only checks.
 */
function textBetween(xml: string, from: number, to: number, keep: boolean): string | undefined {
  let out = '';
  let start = from;
  for (let i = from; i < to; i++) {
    const code = xml.charCodeAt(i);
    if (code >= SPACE && code < 0xd800 && code !== AMP && code !== GT) continue;
    if (isDisallowed(code)) return undefined;
    if (code === GT) {
      if (i - 2 >= from && xml.charCodeAt(i - 1) === BRACKET && xml.charCodeAt(i - 2) === BRACKET)
        return undefined;
    } else if (code === AMP) {
      const entity = entityAt(xml, i);
      if (!entity || entity.end > to) return undefined;
      if (keep) out += xml.slice(start, i) + entity.text;
      i = entity.end - 1;
      start = entity.end;
    } else if (code === CR) {
      if (keep) out += `${xml.slice(start, i)}\n`;
      if (xml.charCodeAt(i + 1) === LF) i++;
      start = i + 1;
    }
  }
  if (!keep) return '';
  return start === from ? xml.slice(from, to) : out + xml.slice(start, to);
}

/** An attribute value whose text saxes would alter (entities, TAB/LF/CR read as spaces). */
function attributeValue(xml: string, from: number, to: number): string | undefined {
  let out = '';
  for (let i = from; i < to; i++) {
    const code = xml.charCodeAt(i);
    if (code === AMP) {
      const entity = entityAt(xml, i);
      if (!entity || entity.end > to) return undefined;
      out += entity.text;
      i = entity.end - 1;
    } else if (code === CR) {
      out += ' ';
      if (xml.charCodeAt(i + 1) === LF && i + 1 < to) i++;
    } else if (code === LF || code === TAB) {
      out += ' ';
    } else {
      out += xml[i];
    }
  }
  return out;
}

function allSpace(xml: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(xml.charCodeAt(i))) return false;
  return true;
}

/** The declaration Excel and friends write; any other <?…?> or version goes to saxes. */
const DECLARATION =
  /^<\?xml[ \t\r\n]+version=(?:"1\.0"|'1\.0')(?:[ \t\r\n]+encoding=(?:"[Uu][Tt][Ff]-8"|'[Uu][Tt][Ff]-8'))?(?:[ \t\r\n]+standalone=(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*\?>/;

const TYPES = ['s', 'n', 'str', 'inlineStr', 'b', 'e', 'd'];

/** The `t` of a cell without allocating for the usual types. */
function typeAt(xml: string, from: number, to: number): string {
  for (const type of TYPES) if (type.length === to - from && xml.startsWith(type, from)) return type;
  return xml.slice(from, to);
}

const STYLES: string[] = Array.from({ length: 256 }, (_, i) => String(i));

/** The `s` of a cell; the common small indexes come from a table rather than a new string. */
function styleAt(xml: string, from: number, to: number): string {
  const length = to - from;
  if (length >= 1 && length <= 3) {
    let n = 0;
    for (let i = from; i < to; i++) {
      const d = xml.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return xml.slice(from, to);
      n = n * 10 + d;
    }
    const cached = STYLES[n];
    if (cached !== undefined && cached.length === length) return cached;
  }
  return xml.slice(from, to);
}

/** An all-digit row number (as Number would read it), or -1. */
function digitsAt(xml: string, from: number, to: number): number {
  if (to === from || to - from > 9) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = xml.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Scans one decoded sheet into `sink`. False means "not in the accepted subset": the
 * caller must discard what the sink received and read the part with saxes instead.
 */
export function scanSheet(xml: string, sink: SheetSink): boolean {
  const length = xml.length;
  let i = 0;
  if (xml.startsWith('<?')) {
    const declaration = DECLARATION.exec(xml);
    if (!declaration) return false;
    i = declaration[0].length;
  }
  let at = xml.indexOf('<', i);
  if (at < 0 || !allSpace(xml, i, at)) return false;
  i = at;
  let nameStarts = new Int32Array(32);
  let nameEnds = new Int32Array(32);
  let kinds = new Uint8Array(32);
  let depth = 0;
  let rootPrefixed = false;
  // Attribute names of the current tag, for the duplicate check saxes makes.
  let attrStarts = new Int32Array(16);
  let attrEnds = new Int32Array(16);
  let attrCount = 0;
  for (;;) {
    // xml[i] is '<'.
    if (xml.charCodeAt(i + 1) === SLASH) {
      if (depth === 0) return false;
      const start = nameStarts[depth - 1] as number;
      const nameLength = (nameEnds[depth - 1] as number) - start;
      let j = i + 2;
      for (let k = 0; k < nameLength; k++) {
        if (xml.charCodeAt(j + k) !== xml.charCodeAt(start + k)) return false;
      }
      j += nameLength;
      while (isSpace(xml.charCodeAt(j))) j++;
      if (xml.charCodeAt(j) !== GT) return false;
      depth--;
      close(kinds[depth] as number, sink);
      i = j + 1;
    } else {
      const nameStart = i + 1;
      if (!isNameStart(xml.charCodeAt(nameStart))) return false;
      let j = nameStart + 1;
      let colon = -1;
      for (let code = xml.charCodeAt(j); isNameChar(code); code = xml.charCodeAt(++j)) {
        if (code === COLON && colon < 0) colon = j;
      }
      const nameEnd = j;
      // The root decides whether names are read with their prefix stripped, as the saxes path does.
      if (depth === 0) rootPrefixed = colon >= 0;
      const localStart = rootPrefixed && colon >= 0 ? colon + 1 : nameStart;
      const kind = kindOf(xml, localStart, nameEnd);
      let r0 = -1;
      let r1 = -1;
      let t0 = -1;
      let t1 = -1;
      let s0 = -1;
      let s1 = -1;
      let rDecoded: string | undefined;
      let tDecoded: string | undefined;
      let sDecoded: string | undefined;
      let selfClosing = false;
      attrCount = 0;
      for (;;) {
        let code = xml.charCodeAt(j);
        if (code === GT) {
          j++;
          break;
        }
        if (code === SLASH) {
          if (xml.charCodeAt(j + 1) !== GT) return false;
          selfClosing = true;
          j += 2;
          break;
        }
        if (!isSpace(code)) return false;
        while (isSpace(code)) code = xml.charCodeAt(++j);
        if (code === GT || code === SLASH) continue;
        if (!isNameStart(code)) return false;
        const attrStart = j;
        do j++;
        while (isNameChar(xml.charCodeAt(j)));
        const attrEnd = j;
        while (isSpace(xml.charCodeAt(j))) j++;
        if (xml.charCodeAt(j) !== EQUALS) return false;
        j++;
        while (isSpace(xml.charCodeAt(j))) j++;
        const quote = xml.charCodeAt(j);
        if (quote !== QUOT && quote !== APOS) return false;
        const valueStart = j + 1;
        let valueEnd = valueStart;
        let plain = true;
        for (let c = xml.charCodeAt(valueEnd); c !== quote; c = xml.charCodeAt(++valueEnd)) {
          if (c >= SPACE && c < 0xd800 && c !== AMP && c !== LT) continue;
          // NaN: the document ended inside the value.
          if (c === LT || Number.isNaN(c) || isDisallowed(c)) return false;
          if (c === AMP || c === CR || c === LF || c === TAB) plain = false;
        }
        const decoded = plain ? undefined : attributeValue(xml, valueStart, valueEnd);
        if (!plain && decoded === undefined) return false;
        const attrLength = attrEnd - attrStart;
        for (let a = 0; a < attrCount; a++) {
          if (sameName(xml, attrStarts[a] as number, attrEnds[a] as number, attrStart, attrLength))
            return false;
        }
        if (attrCount === attrStarts.length) {
          attrStarts = grown(attrStarts);
          attrEnds = grown(attrEnds);
        }
        attrStarts[attrCount] = attrStart;
        attrEnds[attrCount] = attrEnd;
        attrCount++;
        if (attrLength === 1 && (kind === CELL || kind === ROW)) {
          const attr = xml.charCodeAt(attrStart);
          if (attr === 114) {
            r0 = valueStart;
            r1 = valueEnd;
            rDecoded = decoded;
          } else if (attr === 116) {
            t0 = valueStart;
            t1 = valueEnd;
            tDecoded = decoded;
          } else if (attr === 115) {
            s0 = valueStart;
            s1 = valueEnd;
            sDecoded = decoded;
          }
        }
        j = valueEnd + 1;
      }
      if (kind === CELL) {
        const hasRef = rDecoded !== undefined ? rDecoded !== '' : r0 >= 0 && r1 > r0;
        const column = hasRef
          ? rDecoded !== undefined
            ? columnOf(rDecoded)
            : columnAt(xml, r0, r1)
          : sink.nextColumn;
        if (sink.startCell(column)) {
          sink.keepCell(
            r0 < 0 ? undefined : (rDecoded ?? xml.slice(r0, r1)),
            t0 < 0 ? 'n' : (tDecoded ?? typeAt(xml, t0, t1)),
            s0 < 0 ? undefined : (sDecoded ?? styleAt(xml, s0, s1)),
          );
        }
      } else if (kind === ROW) {
        const row = r0 >= 0 && rDecoded === undefined ? digitsAt(xml, r0, r1) : -1;
        if (row >= 0) sink.startRowNumber(row);
        else sink.startRow(r0 < 0 ? undefined : (rDecoded ?? xml.slice(r0, r1)));
      } else if (kind === VALUE) {
        sink.startValue();
      } else if (kind === FORMULA) {
        sink.startFormula();
      } else if (kind === TEXT) {
        sink.startText();
      }
      if (selfClosing) {
        close(kind, sink);
      } else {
        if (depth === nameStarts.length) {
          nameStarts = grown(nameStarts);
          nameEnds = grown(nameEnds);
          const largerKinds = new Uint8Array(kinds.length * 2);
          largerKinds.set(kinds);
          kinds = largerKinds;
        }
        nameStarts[depth] = nameStart;
        nameEnds[depth] = nameEnd;
        kinds[depth] = kind;
        depth++;
      }
      i = j;
    }
    if (depth === 0) return allSpace(xml, i, length);
    // Character data up to the next tag; anything but plain characters takes the careful path.
    at = i;
    let plain = true;
    for (let c = xml.charCodeAt(at); c !== LT; c = xml.charCodeAt(++at)) {
      if (c >= SPACE && c < 0xd800 && c !== AMP && c !== GT) continue;
      if (Number.isNaN(c)) return false;
      plain = false;
    }
    if (at > i) {
      const keep = sink.wantsText;
      if (plain) {
        if (keep) sink.text(xml.slice(i, at));
      } else {
        const text = textBetween(xml, i, at, keep);
        if (text === undefined) return false;
        if (keep) sink.text(text);
      }
    }
    i = at;
  }
}

function sameName(xml: string, start: number, end: number, other: number, length: number): boolean {
  if (end - start !== length) return false;
  for (let k = 0; k < length; k++) if (xml.charCodeAt(start + k) !== xml.charCodeAt(other + k)) return false;
  return true;
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}

function kindOf(xml: string, from: number, to: number): number {
  const length = to - from;
  if (length === 1) {
    switch (xml.charCodeAt(from)) {
      case 99:
        return CELL;
      case 118:
        return VALUE;
      case 102:
        return FORMULA;
      case 116:
        return TEXT;
      default:
        return OTHER;
    }
  }
  return length === 3 && xml.startsWith('row', from) ? ROW : OTHER;
}

function close(kind: number, sink: SheetSink): void {
  if (kind === CELL) sink.endCell();
  else if (kind === VALUE || kind === TEXT) sink.endText();
  else if (kind === ROW) sink.endRow();
}
