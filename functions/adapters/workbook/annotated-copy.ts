import ExcelJS from 'exceljs';
import type { Problem } from '../../core/ingest/problems.ts';
import type { Receipt } from '../../core/ingest/receipt.ts';
import { COLUMN, DATA_SHEET, HEADER_ROW } from '../../core/ingest/template-contract.ts';

/**
 * The department's own workbook handed back with every problem cell highlighted and
 * commented, plus a 回执 sheet listing the receipt. Only called for files the guard
 * accepted, so exceljs never sees a bomb.
 */

export const RECEIPT_SHEET = '回执';

const FILL = {
  error: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } },
  warning: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEB9C' } },
} as const satisfies Record<Problem['severity'], ExcelJS.Fill>;

function noteText(problems: readonly Problem[]): string {
  return problems
    .map((p) => `【${p.severity === 'error' ? '错误' : '提醒'}】${p.message_zh}\n${p.message_en}`)
    .join('\n\n');
}

/** Where a problem is shown: its cell, or the code cell of its indicator's row. */
function anchor(p: Problem, rowOfCode: Map<string, number>): { sheet: string; cell: string } | undefined {
  if (p.sheet && p.cell) return { sheet: p.sheet, cell: p.cell };
  const row = p.indicator ? rowOfCode.get(p.indicator) : undefined;
  return row ? { sheet: DATA_SHEET, cell: `A${row}` } : undefined;
}

export async function writeAnnotatedCopy(original: Uint8Array, receipt: Receipt): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(original) as unknown as ExcelJS.Buffer);
  const data = workbook.getWorksheet(DATA_SHEET);
  const rowOfCode = new Map<string, number>();
  data?.eachRow((row, n) => {
    if (n > HEADER_ROW) rowOfCode.set(String(row.getCell(COLUMN.code + 1).value ?? '').trim(), n);
  });

  const byCell = new Map<string, { sheet: string; cell: string; problems: Problem[] }>();
  for (const p of [...receipt.errors, ...receipt.warnings]) {
    const at = anchor(p, rowOfCode);
    if (!at) continue;
    const id = `${at.sheet}!${at.cell}`;
    const entry = byCell.get(id) ?? { ...at, problems: [] };
    entry.problems.push(p);
    byCell.set(id, entry);
  }
  for (const { sheet, cell, problems } of byCell.values()) {
    const target = workbook.getWorksheet(sheet)?.getCell(cell);
    if (!target) continue;
    target.fill = problems.some((p) => p.severity === 'error') ? FILL.error : FILL.warning;
    target.note = noteText(problems);
  }

  const existing = workbook.getWorksheet(RECEIPT_SHEET);
  if (existing) workbook.removeWorksheet(existing.id);
  const sheet = workbook.addWorksheet(RECEIPT_SHEET);
  sheet.columns = [{ width: 10 }, { width: 24 }, { width: 10 }, { width: 16 }, { width: 70 }, { width: 70 }];
  sheet.addRow([receipt.summary_zh]).font = { bold: true };
  sheet.addRow([receipt.summary_en]);
  sheet.addRow([]);
  sheet.addRow(['类别', '代码 code', '单元格', '指标', '说明', 'message']).font = { bold: true };
  for (const p of [...receipt.errors, ...receipt.warnings]) {
    const row = sheet.addRow([
      p.severity === 'error' ? '错误' : '提醒',
      p.code,
      p.cell ? `${p.sheet}!${p.cell}` : (p.sheet ?? ''),
      p.indicator ?? '',
      p.message_zh,
      p.message_en,
    ]);
    row.getCell(1).fill = FILL[p.severity];
  }
  // The workbook opens on the receipt sheet so the department sees the verdict first.
  workbook.views = [
    {
      x: 0,
      y: 0,
      width: 20000,
      height: 12000,
      firstSheet: 0,
      activeTab: workbook.worksheets.indexOf(sheet),
      visibility: 'visible',
    },
  ];
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
