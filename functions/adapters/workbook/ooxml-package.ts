import { strFromU8, strToU8, zipSync } from 'fflate';
import type { UploadParts } from '../../use-cases/ports/ingest.ts';
import {
  attributes,
  childElements,
  escapeXml,
  OoxmlEditError,
  prefixOf,
  rootElement,
  splice,
} from './ooxml-xml.ts';

/**
 * An xlsx opened as its parts (OPC package): text in, text out, with the bookkeeping
 * every new part needs (a unique name, a content type, a relationship). Parts are
 * inflated through the same capped inflater as the reader, so a directory that lies
 * about sizes is stopped here too.
 */

export const CONTENT_TYPES = '[Content_Types].xml';

export const REL_TYPES = {
  worksheet: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet',
  styles: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles',
  comments: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments',
  vmlDrawing: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing',
} as const;

export const PART_TYPES = {
  worksheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
  styles: 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml',
  comments: 'application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml',
  vmlDrawing: 'application/vnd.openxmlformats-officedocument.vmlDrawing',
} as const;

export const RELATIONSHIPS_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELATIONSHIPS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

export interface Relationship {
  readonly id: string;
  readonly type: string;
  /** Part name the target resolves to (no leading slash); the raw target when external. */
  readonly part: string;
  readonly external: boolean;
}

/** Directory of a part name: `xl/worksheets` for `xl/worksheets/sheet1.xml`. */
function directoryOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return slash < 0 ? '' : part.slice(0, slash);
}

/** Resolves a relationship target against the source part's directory (OPC rules). */
export function resolveTarget(sourcePart: string, target: string): string {
  const segments = target.startsWith('/') ? [] : directoryOf(sourcePart).split('/').filter(Boolean);
  for (const segment of target.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment && segment !== '.') segments.push(segment);
  }
  return segments.join('/');
}

/** The relative target from one part to another, as Excel writes it (`../comments1.xml`). */
export function relativeTarget(sourcePart: string, targetPart: string): string {
  const from = directoryOf(sourcePart).split('/').filter(Boolean);
  const to = targetPart.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}

export function relsPartOf(part: string): string {
  const dir = directoryOf(part);
  const base = part.slice(dir.length ? dir.length + 1 : 0);
  return `${dir ? `${dir}/` : ''}_rels/${base}.rels`;
}

export class OoxmlPackage {
  /** Part name (no leading slash) → bytes, or text once read or edited. */
  private readonly parts = new Map<string, Uint8Array | string>();
  /** Lower-case names: OPC part names compare case-insensitively. */
  private readonly taken = new Set<string>();

  /** Every part of an upload the reader has already guarded (and partly inflated). */
  static fromParts(parts: UploadParts): OoxmlPackage {
    const pkg = new OoxmlPackage();
    for (const name of parts.names()) pkg.set(name, parts.inflate(name));
    return pkg;
  }

  has(part: string): boolean {
    return this.taken.has(part.toLowerCase());
  }

  names(): string[] {
    return [...this.parts.keys()];
  }

  text(part: string): string | undefined {
    const found = this.parts.get(part) ?? this.parts.get(this.actualName(part) ?? '');
    if (found === undefined || typeof found === 'string') return found;
    const text = strFromU8(found).replace(/^\uFEFF/, '');
    this.parts.set(this.actualName(part) ?? part, text);
    return text;
  }

  set(part: string, content: Uint8Array | string): void {
    this.parts.set(this.actualName(part) ?? part, content);
    this.taken.add(part.toLowerCase());
  }

  private actualName(part: string): string | undefined {
    if (this.parts.has(part)) return part;
    const lower = part.toLowerCase();
    return [...this.parts.keys()].find((name) => name.toLowerCase() === lower);
  }

  /** The first free name `make(n)` for n = 1, 2, …. */
  unusedName(make: (n: number) => string): string {
    for (let n = 1; ; n++) {
      const name = make(n);
      if (!this.has(name)) return name;
    }
  }

  relationships(sourcePart: string): Relationship[] {
    const xml = this.text(relsPartOf(sourcePart));
    if (!xml) return [];
    const root = rootElement(xml);
    return childElements(xml, root.openEnd, root.contentEnd)
      .filter((e) => e.local === 'Relationship')
      .map((e) => {
        const attrs = attributes(xml.slice(e.start, e.openEnd));
        const target = attrs.get('Target') ?? '';
        const external = attrs.get('TargetMode') === 'External';
        return {
          id: attrs.get('Id') ?? '',
          type: attrs.get('Type') ?? '',
          part: external ? target : resolveTarget(sourcePart, target),
          external,
        };
      });
  }

  /** Adds a relationship from one part to another; returns its new, unique id. */
  addRelationship(sourcePart: string, type: string, targetPart: string): string {
    const relsPart = relsPartOf(sourcePart);
    const ids = new Set(this.relationships(sourcePart).map((r) => r.id));
    let n = ids.size + 1;
    while (ids.has(`rId${n}`)) n++;
    const id = `rId${n}`;
    const xml =
      this.text(relsPart) ??
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PACKAGE_RELATIONSHIPS_NS}"></Relationships>`;
    const root = rootElement(xml);
    const p = prefixOf(root);
    const element = `<${p}Relationship Id="${id}" Type="${escapeXml(type)}" Target="${escapeXml(relativeTarget(sourcePart, targetPart))}"/>`;
    this.set(
      relsPart,
      root.selfClosing
        ? splice(xml, [
            [root.start, root.end, `${xml.slice(root.start, root.end - 2)}>${element}</${root.name}>`],
          ])
        : splice(xml, [[root.contentEnd, root.contentEnd, element]]),
    );
    return id;
  }

  /** Registers a new part's content type (an Override; a Default for an extension). */
  addContentType(part: string, contentType: string, byExtension = false): void {
    const xml = this.text(CONTENT_TYPES);
    if (!xml) throw new OoxmlEditError(`${CONTENT_TYPES} is missing`);
    const root = rootElement(xml);
    const existing = childElements(xml, root.openEnd, root.contentEnd).map((e) =>
      attributes(xml.slice(e.start, e.openEnd)),
    );
    const extension = part.slice(part.lastIndexOf('.') + 1).toLowerCase();
    const p = prefixOf(root);
    let element: string;
    if (byExtension) {
      if (existing.some((a) => a.get('Extension')?.toLowerCase() === extension)) return;
      element = `<${p}Default Extension="${escapeXml(extension)}" ContentType="${escapeXml(contentType)}"/>`;
    } else {
      const name = `/${part}`.toLowerCase();
      if (existing.some((a) => a.get('PartName')?.toLowerCase() === name)) return;
      element = `<${p}Override PartName="/${escapeXml(part)}" ContentType="${escapeXml(contentType)}"/>`;
    }
    this.set(CONTENT_TYPES, splice(xml, [[root.contentEnd, root.contentEnd, element]]));
  }

  /**
   * The package as a zip. Entries carry `modified` as their time (fflate would stamp the
   * current clock), so the same inputs always give the same bytes: a redelivered upload
   * rewrites an identical annotated copy.
   */
  toBytes(modified: Date): Uint8Array {
    const files: Record<string, Uint8Array> = {};
    // [Content_Types].xml first, as Office writes it; some readers sniff for it there.
    const names = [CONTENT_TYPES, ...this.names().filter((n) => n !== CONTENT_TYPES)];
    for (const name of names) {
      const content = this.parts.get(name);
      if (content !== undefined) files[name] = typeof content === 'string' ? strToU8(content) : content;
    }
    return zipSync(files, { level: 6, mtime: modified });
  }
}
