import { type OoxmlPackage, PART_TYPES, REL_TYPES, RELATIONSHIPS_NS } from './ooxml-package.ts';
import { childElements, ensurePrefix, escapeXml, prefixOf, rootElement, splice } from './ooxml-xml.ts';

/**
 * Cell comments (notes) the way Excel stores them: a comments part with the text and a
 * legacy VML drawing with one hidden note shape per comment, both related from the
 * sheet, which names the drawing in <legacyDrawing>. A sheet has at most one legacy
 * drawing, so a sheet that already has one (comments of its own, or form controls) is
 * left alone and the caller lists its problems only on the receipt sheet.
 */

export interface CellComment {
  /** Zero-based. */
  readonly column: number;
  /** One-based. */
  readonly row: number;
  readonly ref: string;
  readonly text: string;
}

export const COMMENT_AUTHOR = 'duban 督办';

/** Excel refuses a cell text longer than this; a comment is kept to the same bound. */
export const MAX_TEXT = 32_767;

/** Worksheet children that must come after <legacyDrawing> (CT_Worksheet sequence). */
const AFTER_LEGACY_DRAWING = new Set([
  'legacyDrawingHF',
  'drawingHF',
  'picture',
  'oleObjects',
  'controls',
  'webPublishItems',
  'tableParts',
  'extLst',
]);

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** Why a sheet cannot take comments, or undefined when it can. */
export function commentsBlocked(pkg: OoxmlPackage, sheetPart: string, sheetXml: string): string | undefined {
  const root = rootElement(sheetXml);
  const children = childElements(sheetXml, root.openEnd, root.contentEnd, new Set(['sheetData']));
  if (children.some((e) => e.local === 'legacyDrawing')) return 'legacyDrawing';
  const rels = pkg.relationships(sheetPart);
  if (rels.some((r) => r.type === REL_TYPES.comments)) return 'comments';
  if (rels.some((r) => r.type === REL_TYPES.vmlDrawing)) return 'vmlDrawing';
  return undefined;
}

function commentsXml(comments: readonly CellComment[]): string {
  const list = comments
    .map(
      (c) =>
        `<comment ref="${c.ref}" authorId="0"><text><r><rPr><sz val="9"/></rPr>` +
        `<t xml:space="preserve">${escapeXml(c.text.slice(0, MAX_TEXT))}</t></r></text></comment>`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<comments xmlns="${MAIN_NS}"><authors><author>${escapeXml(COMMENT_AUTHOR)}</author></authors>` +
    `<commentList>${list}</commentList></comments>`
  );
}

/**
 * Shape ids live in 1024-wide blocks named by <o:idmap data>; blocks must not collide
 * with another drawing's, so the first block is past every one in use.
 */
function firstFreeBlock(pkg: OoxmlPackage): number {
  let max = 0;
  for (const name of pkg.names()) {
    if (!name.toLowerCase().endsWith('.vml')) continue;
    const vml = pkg.text(name) ?? '';
    for (const m of vml.matchAll(/data="([\d,\s]+)"/g)) {
      for (const n of (m[1] ?? '').split(',')) max = Math.max(max, Number(n) || 0);
    }
    for (const m of vml.matchAll(/_x0000_s(\d+)/g)) max = Math.max(max, Math.floor(Number(m[1]) / 1024));
  }
  return max + 1;
}

function vmlXml(comments: readonly CellComment[], block: number): string {
  const blocks = Array.from({ length: Math.ceil((comments.length + 1) / 1024) }, (_, i) => block + i);
  const shapes = comments.map((c, i) => {
    // Anchor: left column, offset, top row, offset, right column, offset, bottom row, offset.
    const anchor = [c.column + 1, 15, Math.max(0, c.row - 2), 10, c.column + 5, 15, c.row + 8, 4].join(', ');
    return (
      `<v:shape id="_x0000_s${block * 1024 + 1 + i}" type="#_x0000_t202" ` +
      `style="position:absolute;margin-left:80pt;margin-top:2pt;width:260pt;height:140pt;z-index:${i + 1};visibility:hidden" ` +
      'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>' +
      '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>' +
      '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>' +
      '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>' +
      `<x:Anchor>${anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>` +
      `<x:Row>${c.row - 1}</x:Row><x:Column>${c.column}</x:Column></x:ClientData></v:shape>`
    );
  });
  return (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" ' +
    'xmlns:x="urn:schemas-microsoft-com:office:excel">' +
    `<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="${blocks.join(',')}"/></o:shapelayout>` +
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">' +
    '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>' +
    `${shapes.join('')}</xml>`
  );
}

/**
 * Adds the comments part, the VML drawing, their relationships and content types, and
 * returns the sheet XML with its <legacyDrawing>. Call only when commentsBlocked() is
 * undefined.
 */
export function addComments(
  pkg: OoxmlPackage,
  sheetPart: string,
  sheetXml: string,
  comments: readonly CellComment[],
): string {
  if (comments.length === 0) return sheetXml;
  const sorted = [...comments].sort((a, b) => a.row - b.row || a.column - b.column);
  const commentsPart = pkg.unusedName((n) => `xl/comments${n}.xml`);
  const vmlPart = pkg.unusedName((n) => `xl/drawings/vmlDrawing${n}.vml`);
  pkg.set(commentsPart, commentsXml(sorted));
  pkg.set(vmlPart, vmlXml(sorted, firstFreeBlock(pkg)));
  pkg.addContentType(commentsPart, PART_TYPES.comments);
  pkg.addContentType(vmlPart, PART_TYPES.vmlDrawing, true);
  pkg.addRelationship(sheetPart, REL_TYPES.comments, commentsPart);
  const drawingId = pkg.addRelationship(sheetPart, REL_TYPES.vmlDrawing, vmlPart);

  const root = rootElement(sheetXml);
  const { prefix: r, tag: rootTag } = ensurePrefix(
    sheetXml.slice(root.start, root.openEnd),
    RELATIONSHIPS_NS,
    'r',
  );
  const children = childElements(sheetXml, root.openEnd, root.contentEnd, new Set(['sheetData']));
  const at = children.find((e) => AFTER_LEGACY_DRAWING.has(e.local))?.start ?? root.contentEnd;
  return splice(sheetXml, [
    [root.start, root.openEnd, rootTag],
    [at, at, `<${prefixOf(root)}legacyDrawing ${r}:id="${drawingId}"/>`],
  ]);
}
