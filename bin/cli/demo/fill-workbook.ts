import ExcelJS from 'exceljs';
import type { DemoRow } from '../../../functions/core/demo/demo-scenario.ts';
import { COLUMN, DATA_SHEET, HEADER_ROW } from '../../../functions/core/ingest/template-contract.ts';

/**
 * Types a department's figures into its template the way a person would: only the
 * unlocked 本期值 and 情况说明 cells of the rows named by indicator code change; the hidden
 * _meta sheet and everything else stay as the template writer made them.
 */
export class TemplateShapeError extends Error {
  override readonly name = 'TemplateShapeError';
}

export async function fillWorkbook(template: Uint8Array, rows: readonly DemoRow[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(template) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet(DATA_SHEET);
  if (!sheet) throw new TemplateShapeError(`the template has no ${DATA_SHEET} sheet`);
  const rowOf = new Map<string, number>();
  sheet.eachRow((row, number) => {
    if (number <= HEADER_ROW) return;
    const code = row.getCell(COLUMN.code + 1).text.trim();
    if (code) rowOf.set(code, number);
  });
  for (const { code, value, note } of rows) {
    const number = rowOf.get(code);
    if (number === undefined) throw new TemplateShapeError(`the template has no row for ${code}`);
    const row = sheet.getRow(number);
    if (value !== undefined) row.getCell(COLUMN.value + 1).value = value;
    if (note !== undefined) row.getCell(COLUMN.note + 1).value = note;
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
