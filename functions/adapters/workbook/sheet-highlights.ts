import { cellAddress, parseCellAddress } from '../../core/ingest/problems.ts';
import type { CellStyles, Highlight } from './cell-styles.ts';
import {
  attributes,
  childElements,
  OoxmlEditError,
  prefixOf,
  rootElement,
  splice,
  withAttribute,
  withoutAttribute,
  type XmlElement,
} from './ooxml-xml.ts';

/**
 * Gives problem cells a highlight fill by pointing their `s` at a cloned format. A cell
 * Excel did not write (an empty, unformatted input) gets an empty `<c r=… s=…/>`, in
 * column order within its row; a missing row is inserted in row order. Only the rows
 * that change are looked into, so a large sheet costs one indexOf walk over its rows.
 */

export interface CellTarget {
  /** One-based, as in A1 references. */
  readonly row: number;
  /** Zero-based. */
  readonly column: number;
  readonly highlight: Highlight;
}

interface ColumnStyle {
  readonly min: number;
  readonly max: number;
  readonly style: number;
}

function columnStyles(xml: string, children: readonly XmlElement[]): ColumnStyle[] {
  const cols = children.find((e) => e.local === 'cols');
  if (!cols) return [];
  return childElements(xml, cols.openEnd, cols.contentEnd)
    .map((col) => attributes(xml.slice(col.start, col.openEnd)))
    .filter((a) => a.has('style'))
    .map((a) => ({ min: Number(a.get('min')), max: Number(a.get('max')), style: Number(a.get('style')) }));
}

const isTrue = (value: string | undefined) => value === '1' || value === 'true';

export function highlightCells(xml: string, targets: readonly CellTarget[], styles: CellStyles): string {
  if (targets.length === 0) return xml;
  const root = rootElement(xml);
  const p = prefixOf(root);
  const children = childElements(xml, root.openEnd, root.contentEnd, new Set(['sheetData']));
  const sheetData = children.find((e) => e.local === 'sheetData');
  if (!sheetData) throw new OoxmlEditError('the worksheet has no <sheetData>');
  const colStyles = columnStyles(xml, children);
  const columnStyle = (column: number) =>
    colStyles.find((c) => column + 1 >= c.min && column + 1 <= c.max)?.style;

  const byRow = new Map<number, Map<number, Highlight>>();
  for (const t of targets) {
    const row = byRow.get(t.row) ?? new Map<number, Highlight>();
    // An error outranks a warning on the same cell.
    if (row.get(t.column) !== 'error') row.set(t.column, t.highlight);
    byRow.set(t.row, row);
  }

  const rows = sheetData.selfClosing
    ? []
    : childElements(xml, sheetData.openEnd, sheetData.contentEnd, new Set(['row', 'c']));
  const edits: [number, number, string][] = [];
  const newCell = (row: number, column: number, style: number) =>
    `<${p}c r="${cellAddress(column, row)}" s="${style}"/>`;
  let rowNumber = 0;
  const seen = new Set<number>();
  const pendingRows = [...byRow.keys()].sort((a, b) => a - b);
  const newRowsBefore = (limit: number, at: number) => {
    while (pendingRows.length > 0 && (pendingRows[0] ?? 0) < limit) {
      const n = pendingRows.shift() ?? 0;
      if (seen.has(n)) continue;
      const cells = [...(byRow.get(n) ?? [])]
        .sort((a, b) => a[0] - b[0])
        .map(([column, h]) => newCell(n, column, styles.highlighted(columnStyle(column) ?? 0, h)));
      edits.push([at, at, `<${p}row r="${n}">${cells.join('')}</${p}row>`]);
    }
  };

  for (const row of rows) {
    if (row.local !== 'row') continue;
    const rowTag = xml.slice(row.start, row.openEnd);
    const rowAttrs = attributes(rowTag);
    rowNumber = rowAttrs.has('r') ? Number(rowAttrs.get('r')) : rowNumber + 1;
    newRowsBefore(rowNumber, row.start);
    const wanted = byRow.get(rowNumber);
    if (!wanted || seen.has(rowNumber)) continue;
    seen.add(rowNumber);
    const rowStyle = isTrue(rowAttrs.get('customFormat')) ? Number(rowAttrs.get('s') ?? 0) : undefined;
    const baseOf = (column: number) => rowStyle ?? columnStyle(column) ?? 0;
    const cells = row.selfClosing ? [] : childElements(xml, row.openEnd, row.contentEnd, new Set(['c']));
    const inserted: [number, string][] = [];
    let column = -1;
    const positions = cells.map((cell) => {
      if (cell.local !== 'c') return { cell, column: Number.POSITIVE_INFINITY };
      const ref = attributes(xml.slice(cell.start, cell.openEnd)).get('r');
      column = (ref ? parseCellAddress(ref)?.column : undefined) ?? column + 1;
      return { cell, column };
    });
    for (const [target, highlight] of [...wanted].sort((a, b) => a[0] - b[0])) {
      const existing = positions.find((c) => c.column === target && c.cell.local === 'c');
      if (existing) {
        const tag = xml.slice(existing.cell.start, existing.cell.openEnd);
        const base = Number(attributes(tag).get('s') ?? baseOf(target));
        edits.push([
          existing.cell.start,
          existing.cell.openEnd,
          withAttribute(tag, 's', styles.highlighted(base, highlight)),
        ]);
        continue;
      }
      const after = positions.find((c) => c.column > target);
      const at = after?.cell.start ?? row.contentEnd;
      inserted.push([at, newCell(rowNumber, target, styles.highlighted(baseOf(target), highlight))]);
    }
    if (inserted.length === 0) continue;
    // `spans` is an optional hint that may no longer cover the row's cells.
    const openTag = withoutAttribute(rowTag, 'spans');
    if (row.selfClosing) {
      const tag = `${openTag.slice(0, -2).trimEnd()}>`;
      edits.push([row.start, row.end, `${tag}${inserted.map(([, c]) => c).join('')}</${row.name}>`]);
    } else {
      edits.push([row.start, row.openEnd, openTag]);
      for (const [at, cell] of inserted) edits.push([at, at, cell]);
    }
  }
  if (sheetData.selfClosing) {
    const inner: [number, number, string][] = [];
    const saved = edits.length;
    newRowsBefore(Number.POSITIVE_INFINITY, 0);
    for (const edit of edits.splice(saved)) inner.push(edit);
    const open = `${xml.slice(sheetData.start, sheetData.end - 2).trimEnd()}>`;
    edits.push([
      sheetData.start,
      sheetData.end,
      `${open}${inner.map((e) => e[2]).join('')}</${sheetData.name}>`,
    ]);
  } else {
    newRowsBefore(Number.POSITIVE_INFINITY, sheetData.contentEnd);
  }
  return splice(xml, edits);
}
