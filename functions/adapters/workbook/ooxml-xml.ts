/**
 * Just enough XML handling to edit OOXML parts in place: find an element's children
 * without building a DOM (a 50,000-row sheet stays one string), read and set attributes
 * of a start tag, and escape text. Parts reach here only after the zip guard and the
 * bounded reader accepted the workbook, so DTDs and entities were already refused.
 */

export interface XmlElement {
  /** Qualified name as written (`c`, `x:c`). */
  readonly name: string;
  readonly local: string;
  readonly start: number;
  /** End of the start tag. */
  readonly openEnd: number;
  /** Start of the end tag; equals openEnd for a self-closing element. */
  readonly contentEnd: number;
  readonly end: number;
  readonly selfClosing: boolean;
}

export class OoxmlEditError extends Error {
  override readonly name = 'OoxmlEditError';
}

const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s(?:[^>"'/]|\/(?!>)|"[^"]*"|'[^']*')*)?)(\/?)>/g;

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * The elements directly inside [from, to). Elements named in `opaque` (which never nest
 * in themselves: rows, cells, sheetData) are skipped to their end tag by indexOf, so
 * walking the rows of a large sheet does not tokenise every cell.
 */
export function childElements(
  xml: string,
  from: number,
  to: number,
  opaque: ReadonlySet<string> = new Set(),
): XmlElement[] {
  const found: XmlElement[] = [];
  const tokens = new RegExp(TOKEN.source, 'g');
  tokens.lastIndex = from;
  let depth = 0;
  let open: { name: string; start: number; openEnd: number } | undefined;
  for (let m = tokens.exec(xml); m && m.index < to; m = tokens.exec(xml)) {
    const [token, closing, name, , selfClosing] = m;
    if (!name) continue;
    const end = m.index + token.length;
    if (closing) {
      depth--;
      if (depth === 0 && open) {
        found.push({ ...open, local: localName(open.name), contentEnd: m.index, end, selfClosing: false });
        open = undefined;
      }
      if (depth < 0) break;
      continue;
    }
    if (selfClosing) {
      if (depth === 0) {
        found.push({
          name,
          local: localName(name),
          start: m.index,
          openEnd: end,
          contentEnd: end,
          end,
          selfClosing: true,
        });
      }
      continue;
    }
    if (depth === 0 && opaque.has(localName(name))) {
      const close = xml.indexOf(`</${name}>`, end);
      if (close < 0) throw new OoxmlEditError(`<${name}> at ${m.index} is never closed`);
      const after = close + name.length + 3;
      found.push({
        name,
        local: localName(name),
        start: m.index,
        openEnd: end,
        contentEnd: close,
        end: after,
        selfClosing: false,
      });
      tokens.lastIndex = after;
      continue;
    }
    if (depth === 0) open = { name, start: m.index, openEnd: end };
    depth++;
  }
  return found;
}

/** The document element, with its children's range. */
export function rootElement(xml: string): XmlElement {
  const tokens = new RegExp(TOKEN.source, 'g');
  for (let m = tokens.exec(xml); m; m = tokens.exec(xml)) {
    const [token, closing, name, , selfClosing] = m;
    if (!name || closing) continue;
    const openEnd = m.index + token.length;
    if (selfClosing) {
      return {
        name,
        local: localName(name),
        start: m.index,
        openEnd,
        contentEnd: openEnd,
        end: openEnd,
        selfClosing: true,
      };
    }
    const contentEnd = xml.lastIndexOf(`</${name}>`);
    if (contentEnd < openEnd) throw new OoxmlEditError(`the root <${name}> is never closed`);
    return {
      name,
      local: localName(name),
      start: m.index,
      openEnd,
      contentEnd,
      end: contentEnd + name.length + 3,
      selfClosing: false,
    };
  }
  throw new OoxmlEditError('the part has no root element');
}

/** `x:` for a prefixed name, '' otherwise: new elements are written in the part's own style. */
export function prefixOf(element: Pick<XmlElement, 'name'>): string {
  const colon = element.name.indexOf(':');
  return colon < 0 ? '' : element.name.slice(0, colon + 1);
}

const ATTRIBUTE = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function attributes(startTag: string): Map<string, string> {
  const found = new Map<string, string>();
  const body = startTag.slice(startTag.search(/[\s/>]/));
  for (const m of body.matchAll(ATTRIBUTE)) found.set(m[1] ?? '', unescapeXml(m[2] ?? m[3] ?? ''));
  return found;
}

function attributePattern(name: string): RegExp {
  return new RegExp(`(\\s)${name.replace(/[.:-]/g, '\\$&')}\\s*=\\s*(?:"[^"]*"|'[^']*')`);
}

/** The start tag with `name` set to `value` (replaced when present, appended otherwise). */
export function withAttribute(startTag: string, name: string, value: string | number): string {
  const written = `${name}="${escapeXml(String(value))}"`;
  const pattern = attributePattern(name);
  if (pattern.test(startTag)) return startTag.replace(pattern, `$1${written}`);
  const close = startTag.endsWith('/>') ? startTag.length - 2 : startTag.length - 1;
  return `${startTag.slice(0, close).trimEnd()} ${written}${startTag.slice(close)}`;
}

export function withoutAttribute(startTag: string, name: string): string {
  return startTag.replace(attributePattern(name), '');
}

/** Namespace prefix the start tag binds to `uri`, if any (`r` for xmlns:r="…"). */
export function prefixFor(startTag: string, uri: string): string | undefined {
  for (const [name, value] of attributes(startTag)) {
    if (value === uri && name.startsWith('xmlns:')) return name.slice(6);
  }
  return undefined;
}

/**
 * The prefix bound to `uri` on the root start tag, declaring it when missing; returns
 * the prefix and the (possibly changed) start tag.
 */
export function ensurePrefix(startTag: string, uri: string, wanted: string): { prefix: string; tag: string } {
  const bound = prefixFor(startTag, uri);
  if (bound) return { prefix: bound, tag: startTag };
  const taken = attributes(startTag);
  let prefix = wanted;
  for (let n = 1; taken.has(`xmlns:${prefix}`); n++) prefix = `${wanted}${n}`;
  return { prefix, tag: withAttribute(startTag, `xmlns:${prefix}`, uri) };
}

/** Characters XML 1.0 cannot carry at all, not even escaped. */
const NOT_XML_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are exactly what XML 1.0 forbids.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text and attribute values: every markup character escaped, characters XML forbids dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML_CHAR, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? '';
  });
}

/** Applies edits given as [start, end, replacement], in any order, non-overlapping. */
export function splice(xml: string, edits: readonly (readonly [number, number, string])[]): string {
  const sorted = [...edits].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const parts: string[] = [];
  let at = 0;
  for (const [start, end, text] of sorted) {
    if (start < at) throw new OoxmlEditError('overlapping XML edits');
    parts.push(xml.slice(at, start), text);
    at = end;
  }
  parts.push(xml.slice(at));
  return parts.join('');
}
