import { cellAddress } from '../../core/ingest/problems.ts';
import { type OoxmlPackage, PART_TYPES, REL_TYPES, RELATIONSHIPS_NS } from './ooxml-package.ts';
import {
  attributes,
  childElements,
  ensurePrefix,
  escapeXml,
  OoxmlEditError,
  prefixOf,
  rootElement,
  splice,
  withAttribute,
  withoutAttribute,
} from './ooxml-xml.ts';

/**
 * The workbook's sheet list, and the 回执 (receipt) sheet appended to it: plain inline
 * strings only, so nothing a department typed can become a formula or markup, and the
 * workbook opens on it so the verdict is the first thing seen.
 */

export const WORKBOOK_PART = 'xl/workbook.xml';

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

export interface SheetEntry {
  readonly name: string;
  /** The worksheet part, when the sheet is a worksheet that exists in the package. */
  readonly part: string | undefined;
}

export function sheetsOf(pkg: OoxmlPackage): SheetEntry[] {
  const xml = pkg.text(WORKBOOK_PART);
  if (!xml) throw new OoxmlEditError(`${WORKBOOK_PART} is missing`);
  const root = rootElement(xml);
  const sheets = childElements(xml, root.openEnd, root.contentEnd).find((e) => e.local === 'sheets');
  if (!sheets) return [];
  const rels = pkg.relationships(WORKBOOK_PART);
  return childElements(xml, sheets.openEnd, sheets.contentEnd)
    .filter((e) => e.local === 'sheet')
    .map((e) => {
      const attrs = attributes(xml.slice(e.start, e.openEnd));
      const rid = [...attrs].find(([k]) => k.endsWith(':id') && !k.startsWith('xmlns'))?.[1];
      const rel = rels.find((r) => r.id === rid && r.type === REL_TYPES.worksheet && !r.external);
      return { name: attrs.get('name') ?? '', part: rel && pkg.has(rel.part) ? rel.part : undefined };
    });
}

/** A cell of the receipt sheet: text, with an optional style index. */
export interface ReceiptCell {
  readonly text: string;
  readonly style?: number;
}

export interface ReceiptSheetContent {
  /** Row by row from row 1; undefined leaves a row empty. */
  readonly rows: readonly (readonly (ReceiptCell | undefined)[] | undefined)[];
  readonly widths: readonly number[];
}

/** Excel's limit on the text of one cell. */
const MAX_CELL_TEXT = 32_767;

function sheetXml(content: ReceiptSheetContent): string {
  const cols = content.widths
    .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`)
    .join('');
  const rows = content.rows
    .map((cells, r) => {
      const written = (cells ?? [])
        .map((cell, c) => {
          if (!cell || cell.text === '') return '';
          const style = cell.style ? ` s="${cell.style}"` : '';
          const text = escapeXml(cell.text.slice(0, MAX_CELL_TEXT));
          return `<c r="${cellAddress(c, r + 1)}"${style} t="inlineStr"><is><t xml:space="preserve">${text}</t></is></c>`;
        })
        .join('');
      return written ? `<row r="${r + 1}">${written}</row>` : '';
    })
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<worksheet xmlns="${MAIN_NS}" xmlns:r="${RELATIONSHIPS_NS}">` +
    '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>' +
    `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>${rows}</sheetData>` +
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
  );
}

/**
 * Writes the receipt sheet named `name`: a sheet of that name already in the workbook
 * (an earlier annotated copy sent back) is rewritten in place; otherwise one is appended.
 */
export function putReceiptSheet(pkg: OoxmlPackage, name: string, content: ReceiptSheetContent): void {
  const sheets = sheetsOf(pkg);
  const existing = sheets.findIndex((s) => s.name === name && s.part);
  const xml = sheetXml(content);
  if (existing >= 0) {
    const part = sheets[existing]?.part ?? '';
    pkg.set(part, xml);
    selectSheet(pkg, sheets, existing);
    return;
  }
  // A chart sheet may hold the name; sheet names must stay unique (Excel compares them case-blind).
  const names = new Set(sheets.map((s) => s.name.toLowerCase()));
  let unique = name;
  for (let n = 2; names.has(unique.toLowerCase()); n++) unique = `${name}(${n})`;
  const part = pkg.unusedName((n) => `xl/worksheets/sheet${n}.xml`);
  pkg.set(part, xml);
  pkg.addContentType(part, PART_TYPES.worksheet);
  const rid = pkg.addRelationship(WORKBOOK_PART, REL_TYPES.worksheet, part);

  const book = pkg.text(WORKBOOK_PART) ?? '';
  const root = rootElement(book);
  const { prefix: r, tag: rootTag } = ensurePrefix(
    book.slice(root.start, root.openEnd),
    RELATIONSHIPS_NS,
    'r',
  );
  const p = prefixOf(root);
  const children = childElements(book, root.openEnd, root.contentEnd);
  const sheetsElement = children.find((e) => e.local === 'sheets');
  if (!sheetsElement || sheetsElement.selfClosing) throw new OoxmlEditError('the workbook has no <sheets>');
  let maxId = 0;
  for (const e of childElements(book, sheetsElement.openEnd, sheetsElement.contentEnd)) {
    maxId = Math.max(maxId, Number(attributes(book.slice(e.start, e.openEnd)).get('sheetId')) || 0);
  }
  const entry = `<${p}sheet name="${escapeXml(unique)}" sheetId="${maxId + 1}" ${r}:id="${rid}"/>`;
  pkg.set(
    WORKBOOK_PART,
    splice(book, [
      [root.start, root.openEnd, rootTag],
      [sheetsElement.contentEnd, sheetsElement.contentEnd, entry],
    ]),
  );
  selectSheet(pkg, [...sheets, { name: unique, part }], sheets.length);
}

/**
 * Makes sheet `index` the active tab. Every other sheet loses tabSelected: two selected
 * tabs would open the workbook with sheets grouped, where one edit changes both.
 */
function selectSheet(pkg: OoxmlPackage, sheets: readonly SheetEntry[], index: number): void {
  const book = pkg.text(WORKBOOK_PART) ?? '';
  const root = rootElement(book);
  const p = prefixOf(root);
  const children = childElements(book, root.openEnd, root.contentEnd);
  const bookViews = children.find((e) => e.local === 'bookViews');
  const view = bookViews
    ? childElements(book, bookViews.openEnd, bookViews.contentEnd).find((e) => e.local === 'workbookView')
    : undefined;
  if (view) {
    const tag = withAttribute(book.slice(view.start, view.openEnd), 'activeTab', index);
    pkg.set(WORKBOOK_PART, splice(book, [[view.start, view.openEnd, tag]]));
  } else {
    const before = children.find((e) => e.local === 'sheets')?.start ?? root.contentEnd;
    const views = `<${p}bookViews><${p}workbookView activeTab="${index}"/></${p}bookViews>`;
    pkg.set(WORKBOOK_PART, splice(book, [[before, before, views]]));
  }
  sheets.forEach((sheet, i) => {
    if (i === index || !sheet.part) return;
    const xml = pkg.text(sheet.part) ?? '';
    // sheetViews precede sheetData: only the head of a large sheet is searched.
    const head = xml.indexOf('sheetData');
    const end = head < 0 ? xml.length : head;
    const found = /<(?:[\w.-]+:)?sheetView\b[^>]*\btabSelected\s*=\s*["'](?:1|true)["'][^>]*>/.exec(
      xml.slice(0, end),
    );
    if (!found) return;
    const tag = withoutAttribute(found[0], 'tabSelected');
    pkg.set(sheet.part, splice(xml, [[found.index, found.index + found[0].length, tag]]));
  });
}
