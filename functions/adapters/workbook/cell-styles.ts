import { type OoxmlPackage, PART_TYPES, REL_TYPES } from './ooxml-package.ts';
import { childElements, prefixOf, rootElement, splice, withAttribute, type XmlElement } from './ooxml-xml.ts';

/**
 * Adds cell formats to a workbook's styles part: a problem cell keeps its own format
 * (number format, font, border, protection) and only gains a fill, so its xf is cloned
 * with a new fillId rather than replaced.
 */

export type Highlight = 'error' | 'warning';

/** ARGB, as before: light red for errors, light yellow for warnings. */
export const HIGHLIGHT_COLOURS: Readonly<Record<Highlight, string>> = {
  error: 'FFFFC7CE',
  warning: 'FFFFEB9C',
};

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** Child order of <styleSheet> in the schema; new sections go in their place. */
const SECTION_ORDER = [
  'numFmts',
  'fonts',
  'fills',
  'borders',
  'cellStyleXfs',
  'cellXfs',
  'cellStyles',
  'dxfs',
  'tableStyles',
  'colors',
  'extLst',
] as const;

type Section = 'fonts' | 'fills' | 'borders' | 'cellStyleXfs' | 'cellXfs';

/** What Excel expects when a section is absent: fills 0 and 1 are reserved (none, gray125). */
const DEFAULT_ITEMS: Readonly<Record<Section, readonly string[]>> = {
  fonts: ['<font><sz val="11"/><name val="Calibri"/></font>'],
  fills: [
    '<fill><patternFill patternType="none"/></fill>',
    '<fill><patternFill patternType="gray125"/></fill>',
  ],
  borders: ['<border><left/><right/><top/><bottom/><diagonal/></border>'],
  cellStyleXfs: ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'],
  cellXfs: ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'],
};

function stylesPartOf(pkg: OoxmlPackage): string {
  const rel = pkg.relationships('xl/workbook.xml').find((r) => r.type === REL_TYPES.styles && !r.external);
  return rel?.part ?? 'xl/styles.xml';
}

export class CellStyles {
  private readonly part: string;
  private readonly xml: string;
  private readonly prefix: string;
  private readonly sections = new Map<Section, { items: string[]; element?: XmlElement; added: number }>();
  private readonly cache = new Map<string, number>();
  private readonly rootStart: number;
  private readonly rootChildren: XmlElement[];

  constructor(private readonly pkg: OoxmlPackage) {
    this.part = stylesPartOf(pkg);
    let xml = pkg.text(this.part);
    if (xml === undefined) {
      xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${MAIN_NS}"></styleSheet>`;
      pkg.addRelationship('xl/workbook.xml', REL_TYPES.styles, this.part);
      pkg.addContentType(this.part, PART_TYPES.styles);
    }
    this.xml = xml;
    const root = rootElement(xml);
    if (root.selfClosing) throw new Error('unreachable: the styles root is written with an end tag');
    this.prefix = prefixOf(root);
    this.rootStart = root.openEnd;
    this.rootChildren = childElements(xml, root.openEnd, root.contentEnd);
    // Absent sections are created with Excel's defaults so every index an xf names exists.
    for (const name of Object.keys(DEFAULT_ITEMS) as Section[]) this.section(name);
  }

  private section(name: Section): string[] {
    const known = this.sections.get(name);
    if (known) return known.items;
    const element = this.rootChildren.find((e) => e.local === name);
    const items = element
      ? childElements(this.xml, element.openEnd, element.contentEnd).map((e) =>
          this.xml.slice(e.start, e.end),
        )
      : DEFAULT_ITEMS[name].map((item) => this.prefixed(item));
    this.sections.set(name, { items, element, added: 0 });
    return items;
  }

  private prefixed(item: string): string {
    return this.prefix ? item.replace(/<(\/?)(?=[A-Za-z])/g, `<$1${this.prefix}`) : item;
  }

  private add(name: Section, item: string): number {
    const items = this.section(name);
    items.push(item);
    const entry = this.sections.get(name);
    if (entry) entry.added++;
    return items.length - 1;
  }

  /** The style index of `base` with a solid highlight fill; the same index for the same pair. */
  highlighted(base: number, highlight: Highlight): number {
    const key = `${base}:${highlight}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const fillId = this.fill(highlight);
    const xfs = this.section('cellXfs');
    const source = xfs[base] ?? xfs[0] ?? this.prefixed(DEFAULT_ITEMS.cellXfs[0] ?? '');
    const tagEnd = source.indexOf('>') + 1;
    let tag = withAttribute(source.slice(0, tagEnd), 'fillId', fillId);
    tag = withAttribute(tag, 'applyFill', 1);
    const index = this.add('cellXfs', tag + source.slice(tagEnd));
    this.cache.set(key, index);
    return index;
  }

  /** A bold cell format on the default font, for the receipt sheet's headings. */
  bold(): number {
    const cached = this.cache.get('bold');
    if (cached !== undefined) return cached;
    const fonts = this.section('fonts');
    const first = fonts[0] ?? '';
    const inner = first.endsWith('/>') ? '' : first.slice(first.indexOf('>') + 1, first.lastIndexOf('<'));
    const p = this.prefix;
    const fontId = this.add('fonts', `<${p}font><${p}b/>${inner.replace(/<([\w:]*)b\/>/g, '')}</${p}font>`);
    const index = this.add(
      'cellXfs',
      `<${p}xf numFmtId="0" fontId="${fontId}" fillId="0" borderId="0" xfId="0" applyFont="1"/>`,
    );
    this.cache.set('bold', index);
    return index;
  }

  private fill(highlight: Highlight): number {
    const key = `fill:${highlight}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const p = this.prefix;
    const id = this.add(
      'fills',
      `<${p}fill><${p}patternFill patternType="solid"><${p}fgColor rgb="${HIGHLIGHT_COLOURS[highlight]}"/><${p}bgColor indexed="64"/></${p}patternFill></${p}fill>`,
    );
    this.cache.set(key, id);
    return id;
  }

  /** Writes the changed sections back; a section absent before is inserted in schema order. */
  save(): void {
    const edits: [number, number, string][] = [];
    const p = this.prefix;
    for (const [name, { items, element, added }] of this.sections) {
      if (added === 0 && element) continue;
      const body = `<${p}${name} count="${items.length}">${items.join('')}</${p}${name}>`;
      if (element) {
        edits.push([element.start, element.end, body]);
        continue;
      }
      const rank = SECTION_ORDER.indexOf(name);
      const next = this.rootChildren.find((e) => {
        const r = SECTION_ORDER.indexOf(e.local as (typeof SECTION_ORDER)[number]);
        return r > rank;
      });
      const at = next?.start ?? this.lastSectionEnd(rank);
      edits.push([at, at, body]);
    }
    if (edits.length > 0) this.pkg.set(this.part, spliceOrdered(this.xml, edits));
  }

  /** Where a section with no later sibling goes: after the last earlier one, or first. */
  private lastSectionEnd(rank: number): number {
    const earlier = this.rootChildren.filter(
      (e) => SECTION_ORDER.indexOf(e.local as (typeof SECTION_ORDER)[number]) < rank,
    );
    return earlier.at(-1)?.end ?? this.rootStart;
  }
}

/** Insertions at one offset keep the schema order they were made in (fonts before fills …). */
function spliceOrdered(xml: string, edits: [number, number, string][]): string {
  const merged = new Map<string, [number, number, string]>();
  const ordered = [...edits].sort(
    (a, b) =>
      SECTION_ORDER.indexOf(sectionName(a[2])) - SECTION_ORDER.indexOf(sectionName(b[2])) || a[0] - b[0],
  );
  for (const edit of ordered) {
    const key = `${edit[0]}:${edit[1]}`;
    const same = merged.get(key);
    if (same && edit[0] === edit[1]) same[2] += edit[2];
    else merged.set(key, [...edit]);
  }
  return splice(xml, [...merged.values()]);
}

function sectionName(body: string): (typeof SECTION_ORDER)[number] {
  const name = /^<(?:[\w.-]+:)?(\w+)/.exec(body)?.[1] ?? '';
  return name as (typeof SECTION_ORDER)[number];
}
