import ExcelJS from 'exceljs';
import { buildTemplate, type TemplateRequest } from '../../functions/adapters/workbook/template-writer.ts';
import { ingestCatalog } from '../fixtures/ingest-catalog.ts';

/** fgw's June 2023 template of the ingest catalog (version 1), unless the request says otherwise. */
export function ingestTemplate(request: Partial<TemplateRequest> = {}): Promise<Uint8Array> {
  return buildTemplate({
    catalog: ingestCatalog(),
    catalogVersion: 1,
    dept: 'fgw',
    period: '2023-06',
    now: new Date('2023-06-20T00:00:00Z'),
    ...request,
  });
}

/** Opens workbook bytes with exceljs, as a department's spreadsheet program would. */
export async function loadWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return wb;
}
