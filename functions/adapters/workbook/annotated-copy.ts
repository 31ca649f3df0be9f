import type { ParsedWorkbook } from '../../core/ingest/parsed-workbook.ts';
import { type Problem, parseCellAddress } from '../../core/ingest/problems.ts';
import type { Receipt } from '../../core/ingest/receipt.ts';
import { COLUMN, DATA_SHEET } from '../../core/ingest/template-contract.ts';
import type { AnnotatedCopyWriter, ReadUpload } from '../../use-cases/ports/ingest.ts';
import { CellStyles } from './cell-styles.ts';
import { OoxmlPackage } from './ooxml-package.ts';
import { OoxmlEditError } from './ooxml-xml.ts';
import { putReceiptSheet, type ReceiptCell, sheetsOf } from './receipt-sheet.ts';
import { addComments, type CellComment, commentsBlocked } from './sheet-comments.ts';
import { type CellTarget, highlightCells } from './sheet-highlights.ts';
import { WorkbookRejectedError } from './zip-guard.ts';

/**
 * The department's own workbook handed back with every problem cell highlighted and
 * commented, plus a 回执 sheet listing the receipt. Edited at the OOXML level (the
 * upload's own parts, changed only where needed), so the Lambda bundle carries no
 * spreadsheet library. Only called for files the guard and the reader accepted.
 */

export const RECEIPT_SHEET = '回执';

const SEVERITY_ZH: Readonly<Record<Problem['severity'], string>> = { error: '错误', warning: '提醒' };

function noteText(problems: readonly Problem[]): string {
  return problems.map((p) => `【${SEVERITY_ZH[p.severity]}】${p.message_zh}\n${p.message_en}`).join('\n\n');
}

/** Where a problem is shown: its cell, or the code cell of its indicator's row. */
function anchor(
  p: Problem,
  rowOfCode: ReadonlyMap<string, number>,
): { sheet: string; cell: string } | undefined {
  if (p.sheet && p.cell) return { sheet: p.sheet, cell: p.cell };
  const row = p.indicator ? rowOfCode.get(p.indicator) : undefined;
  return row ? { sheet: DATA_SHEET, cell: `A${row}` } : undefined;
}

function rowsOfCodes(parsed: ParsedWorkbook): Map<string, number> {
  const rows = new Map<string, number>();
  for (const row of parsed.data?.rows ?? []) {
    const code = row.cells[COLUMN.code]?.value;
    if (code !== null && code !== undefined) rows.set(String(code).trim(), row.row);
  }
  return rows;
}

interface Annotation {
  readonly row: number;
  readonly column: number;
  readonly ref: string;
  readonly problems: Problem[];
}

/** Problems grouped by sheet, then by cell. */
function annotations(receipt: Receipt, rowOfCode: ReadonlyMap<string, number>): Map<string, Annotation[]> {
  const bySheet = new Map<string, Map<string, Annotation>>();
  for (const p of [...receipt.errors, ...receipt.warnings]) {
    const at = anchor(p, rowOfCode);
    const ref = at?.cell.replace(/\$/g, '').toUpperCase() ?? '';
    const position = parseCellAddress(ref);
    if (!at || !position) continue;
    const cells = bySheet.get(at.sheet) ?? new Map<string, Annotation>();
    const entry = cells.get(ref) ?? { ...position, ref, problems: [] };
    entry.problems.push(p);
    cells.set(ref, entry);
    bySheet.set(at.sheet, cells);
  }
  return new Map([...bySheet].map(([sheet, cells]) => [sheet, [...cells.values()]]));
}

const COMMENTS_SKIPPED = {
  zh: (sheet: string) => `工作表「${sheet}」原有批注或控件,本次问题未加批注,请以本表为准`,
  en: (sheet: string) =>
    `the sheet "${sheet}" already has comments or controls, so the problems are listed here only`,
};

/** The copy of an upload as read (its parts are inflated once, shared with the reader). */
export async function writeAnnotatedCopy(upload: ReadUpload, receipt: Receipt): Promise<Uint8Array> {
  const parsed = upload.workbook;
  const pkg = OoxmlPackage.fromParts(upload.parts);
  const styles = new CellStyles(pkg);
  const sheets = sheetsOf(pkg);
  const skipped: string[] = [];

  for (const [sheetName, marks] of annotations(receipt, rowsOfCodes(parsed))) {
    const part = sheets.find((s) => s.name === sheetName)?.part;
    // The receipt sheet is rewritten below; a problem pointing into it stays in the list.
    if (!part || sheetName === RECEIPT_SHEET) continue;
    let xml = pkg.text(part) ?? '';
    const targets: CellTarget[] = marks.map((m) => ({
      row: m.row,
      column: m.column,
      highlight: m.problems.some((p) => p.severity === 'error') ? 'error' : 'warning',
    }));
    xml = highlightCells(xml, targets, styles);
    if (commentsBlocked(pkg, part, xml)) {
      skipped.push(sheetName);
    } else {
      const comments: CellComment[] = marks.map((m) => ({ ...m, text: noteText(m.problems) }));
      xml = addComments(pkg, part, xml, comments);
    }
    pkg.set(part, xml);
  }

  const bold = styles.bold();
  const text = (t: string, style?: number): ReceiptCell => ({ text: t, style });
  const problems = [...receipt.errors, ...receipt.warnings];
  putReceiptSheet(pkg, RECEIPT_SHEET, {
    widths: [10, 24, 10, 16, 70, 70],
    rows: [
      [text(receipt.summary_zh, bold)],
      [text(receipt.summary_en)],
      // Row 3 stays empty unless comments had to be left out; the list always starts on row 5.
      skipped.length > 0
        ? [text(skipped.map((s) => `${COMMENTS_SKIPPED.zh(s)}; ${COMMENTS_SKIPPED.en(s)}`).join(' '))]
        : undefined,
      ['类别', '代码 code', '单元格', '指标', '说明', 'message'].map((h) => text(h, bold)),
      ...problems.map((p) => [
        text(SEVERITY_ZH[p.severity], styles.highlighted(0, p.severity)),
        text(p.code),
        text(p.cell ? `${p.sheet}!${p.cell}` : (p.sheet ?? '')),
        text(p.indicator ?? ''),
        text(p.message_zh),
        text(p.message_en),
      ]),
    ],
  });
  styles.save();
  return pkg.toBytes(zipTime(receipt.source.receivedAt));
}

/** Zip entry times start in 1980; an unreadable upload time falls back to that start. */
function zipTime(iso: string): Date {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1981 ? new Date(Date.UTC(1980, 0, 2)) : at;
}

/**
 * The AnnotatedCopyWriter port. The reader inflates only the parts it needs; a file damaged
 * elsewhere can still fail here, and the department then gets its receipt without the copy.
 */
export const annotatedCopyWriter: AnnotatedCopyWriter = {
  async write(upload, receipt) {
    try {
      return await writeAnnotatedCopy(upload, receipt);
    } catch (error) {
      if (error instanceof WorkbookRejectedError || error instanceof OoxmlEditError) return undefined;
      throw error;
    }
  },
};
