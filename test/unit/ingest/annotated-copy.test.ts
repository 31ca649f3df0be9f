import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { RECEIPT_SHEET, writeAnnotatedCopy } from '../../../functions/adapters/workbook/annotated-copy.ts';
import type { WorkbookParts } from '../../../functions/adapters/workbook/workbook-parts.ts';
import { readUpload } from '../../../functions/adapters/workbook/workbook-reader.ts';
import { type Problem, problem } from '../../../functions/core/ingest/problems.ts';
import { buildReceipt, type Receipt } from '../../../functions/core/ingest/receipt.ts';
import { ingestTemplate, loadWorkbook } from '../../support/template-workbooks.ts';

const ERROR_FILL = 'FFFFC7CE';
const WARNING_FILL = 'FFFFEB9C';

function receiptOf(problems: Problem[]): Receipt {
  return buildReceipt({
    status: 'rejected',
    dept: 'fgw',
    period: '2023-06',
    problems,
    rows: 5,
    values: 4,
    source: { bucket: 'b', key: 'k', sha256: 's', size: 1, receivedAt: 't', uploader: 'u' },
    objects: { raw: 'r', receipt: 'x', annotated: 'a', quarantine: 'q' },
  });
}

const notNumeric = (cell: string, value: string) =>
  problem({
    code: 'value-not-numeric',
    sheet: '填报',
    cell,
    indicator: 'ECO-FAI',
    zh: `「${value}」不是数字`,
    en: `"${value}" is not a number`,
    value,
  });

const outlier = (cell: string) =>
  problem({
    code: 'outlier',
    severity: 'warning',
    sheet: '填报',
    cell,
    indicator: 'ECO-ENT',
    zh: '与上期相差较大',
    en: 'far from last month',
  });

/** Every cell value of every sheet but the receipt, by sheet!address. */
function values(wb: ExcelJS.Workbook): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const sheet of wb.worksheets) {
    if (sheet.name === RECEIPT_SHEET) continue;
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        out[`${sheet.name}!${cell.address}`] = cell.value;
      }),
    );
  }
  return out;
}

function noteOf(cell: ExcelJS.Cell): string {
  const note = cell.note as string | { texts?: { text: string }[] } | undefined;
  if (note === undefined || typeof note === 'string') return note ?? '';
  return (note.texts ?? []).map((t) => t.text).join('');
}

function parts(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([k, v]) => [k, strFromU8(v)]));
}

describe('annotated copy of a department template', () => {
  let template: Uint8Array;
  let receipt: Receipt;
  let copy: Uint8Array;
  let before: ExcelJS.Workbook;
  let after: ExcelJS.Workbook;

  beforeAll(async () => {
    template = await ingestTemplate();
    receipt = receiptOf([
      notNumeric('E2', 'abc'),
      outlier('E3'),
      problem({
        code: 'indicator-missing',
        sheet: '填报',
        indicator: 'ECO-FAI-GROWTH',
        zh: '缺少',
        en: 'missing',
      }),
      problem({ code: 'meta-incomplete', zh: '缺少 _meta', en: 'no _meta' }),
    ]);
    copy = await writeAnnotatedCopy(readUpload(template), receipt);
    before = await loadWorkbook(template);
    after = await loadWorkbook(copy);
  });

  it('is the same bytes every time it is written for the same upload, whatever the clock says', async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date('2031-05-06T07:08:09Z') });

    // Act
    const later = await writeAnnotatedCopy(readUpload(template), receipt).finally(() => vi.useRealTimers());

    // Assess
    expect(Buffer.from(later).equals(Buffer.from(copy))).toBe(true);
  });

  it('reuses the parts the reader inflated: every part of the upload is inflated exactly once', async () => {
    // Prepare
    const upload = readUpload(template);
    const parts = upload.parts as WorkbookParts;
    const readByReader = parts.inflations;

    // Act
    await writeAnnotatedCopy(upload, receipt);

    // Assess
    expect(readByReader).toBeGreaterThanOrEqual(5);
    expect(parts.inflations).toBe(parts.names().length);
  });

  it('fills error cells red and warning cells yellow, keeping their protection', () => {
    // Act
    const sheet = after.getWorksheet('填报');

    // Assess
    expect(sheet?.getCell('E2').fill).toMatchObject({
      type: 'pattern',
      pattern: 'solid',
      fgColor: { argb: ERROR_FILL },
    });
    expect(sheet?.getCell('E3').fill).toMatchObject({ fgColor: { argb: WARNING_FILL } });
    expect(sheet?.getCell('E2').protection).toMatchObject({ locked: false });
    expect(sheet?.getCell('E4').fill).toEqual(before.getWorksheet('填报')?.getCell('E4').fill);
  });

  it('comments each problem cell in Chinese and English, and the code cell of a problem without a cell', () => {
    // Act
    const sheet = after.getWorksheet('填报');

    // Assess
    expect(noteOf(sheet?.getCell('E2') as ExcelJS.Cell)).toContain('【错误】');
    expect(noteOf(sheet?.getCell('E2') as ExcelJS.Cell)).toContain('「abc」不是数字');
    expect(noteOf(sheet?.getCell('E2') as ExcelJS.Cell)).toContain('"abc" is not a number');
    expect(noteOf(sheet?.getCell('E3') as ExcelJS.Cell)).toContain('【提醒】');
    expect(noteOf(sheet?.getCell('E3') as ExcelJS.Cell)).toContain('far from last month');
    expect(noteOf(sheet?.getCell('A4') as ExcelJS.Cell)).toContain('缺少');
    expect(noteOf(sheet?.getCell('E4') as ExcelJS.Cell)).toBe('');
  });

  it('adds a 回执 sheet listing every problem, and opens on it', () => {
    // Act
    const sheet = after.getWorksheet(RECEIPT_SHEET);
    const xml = parts(copy);

    // Assess
    expect(after.worksheets.map((s) => s.name)).toEqual(['填报', '说明', '_meta', RECEIPT_SHEET]);
    expect(sheet?.getCell('A1').value).toBe(receipt.summary_zh);
    expect(sheet?.getCell('A1').font).toMatchObject({ bold: true });
    expect(sheet?.getCell('A2').value).toBe(receipt.summary_en);
    expect(sheet?.getRow(4).values).toEqual([
      undefined,
      '类别',
      '代码 code',
      '单元格',
      '指标',
      '说明',
      'message',
    ]);
    expect(sheet?.getRow(5).values).toEqual([
      undefined,
      '错误',
      'value-not-numeric',
      '填报!E2',
      'ECO-FAI',
      receipt.errors[0]?.message_zh,
      receipt.errors[0]?.message_en,
    ]);
    expect(sheet?.getCell('A5').fill).toMatchObject({ fgColor: { argb: ERROR_FILL } });
    expect(sheet?.getCell('A8').value).toBe('提醒');
    expect(sheet?.getCell('A8').fill).toMatchObject({ fgColor: { argb: WARNING_FILL } });
    expect(sheet?.getCell('B8').value).toBe('outlier');
    expect(sheet?.actualRowCount).toBe(3 + receipt.errors.length + receipt.warnings.length);
    expect(xml['xl/workbook.xml']).toMatch(/activeTab="3"/);
    expect(xml['xl/worksheets/sheet1.xml']).not.toMatch(/tabSelected="1"/);
  });

  it('leaves every other cell value, the sheets and the template parts as they were', () => {
    // Act
    const original = parts(template);
    const annotated = parts(copy);

    // Assess
    expect(values(after)).toEqual(values(before));
    expect(after.getWorksheet('_meta')?.state).toBe('hidden');
    expect(after.getWorksheet('填报')?.getCell('E6').dataValidation).toMatchObject({ type: 'list' });
    for (const part of ['xl/sharedStrings.xml', 'xl/worksheets/sheet2.xml', 'xl/worksheets/sheet3.xml']) {
      expect(annotated[part], part).toBe(original[part]);
    }
  });

  it('registers the new parts in the content types and the sheet relationships', () => {
    // Act
    const xml = parts(copy);

    // Assess
    expect(xml['[Content_Types].xml']).toContain('PartName="/xl/comments1.xml"');
    expect(xml['[Content_Types].xml']).toContain('PartName="/xl/worksheets/sheet4.xml"');
    expect(xml['[Content_Types].xml']).toMatch(/<Default Extension="vml"/);
    expect(xml['xl/worksheets/_rels/sheet1.xml.rels']).toContain('Target="../comments1.xml"');
    expect(xml['xl/worksheets/_rels/sheet1.xml.rels']).toContain('Target="../drawings/vmlDrawing1.vml"');
    expect(xml['xl/drawings/vmlDrawing1.vml']?.match(/<v:shape /g)).toHaveLength(3);
    // <legacyDrawing> goes after the data validations and page setup, as the schema orders it.
    const sheet = xml['xl/worksheets/sheet1.xml'] ?? '';
    expect(sheet.indexOf('<legacyDrawing r:id=')).toBeGreaterThan(sheet.indexOf('</dataValidations>'));
  });
});

/** A workbook written part by part, for shapes Excel and exceljs produce but templates do not. */
function handMade(sheetXml: string, extra: Record<string, string> = {}): Uint8Array {
  const files: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml':
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="填报" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>${sheetXml}</sheetData></worksheet>`,
    ...extra,
  };
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
}

const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

describe('annotated copy of workbooks unlike the template', () => {
  it('inserts missing cells in column order and missing rows in row order, and creates styles.xml', async () => {
    // Prepare: row 2 has A2 and C2 only; row 4 is absent; there is no styles part.
    const original = handMade(
      `<row r="2">${inline('A2', 'ECO-FAI')}<c r="C2"><v>1</v></c></row><row r="3">${inline('A3', 'ECO-ENT')}</row><row r="5">${inline('A5', 'X')}</row>`,
    );
    const receipt = receiptOf([notNumeric('B2', 'x'), outlier('E2'), notNumeric('D4', 'y')]);

    // Act
    const copy = await writeAnnotatedCopy(readUpload(original), receipt);

    // Assess
    const sheetXml = parts(copy)['xl/worksheets/sheet1.xml'] ?? '';
    const refs = [...sheetXml.matchAll(/<c r="([A-Z]+\d+)"/g)].map((m) => m[1]);
    expect(refs).toEqual(['A2', 'B2', 'C2', 'E2', 'A3', 'D4', 'A5']);
    const sheet = (await loadWorkbook(copy)).getWorksheet('填报');
    expect(sheet?.getCell('B2').fill).toMatchObject({ fgColor: { argb: ERROR_FILL } });
    expect(sheet?.getCell('E2').fill).toMatchObject({ fgColor: { argb: WARNING_FILL } });
    expect(sheet?.getCell('D4').fill).toMatchObject({ fgColor: { argb: ERROR_FILL } });
    expect(sheet?.getCell('C2').value).toBe(1);
    expect(sheet?.getCell('C2').fill).toBeUndefined();
    expect(noteOf(sheet?.getCell('D4') as ExcelJS.Cell)).toContain('「y」不是数字');
  });

  it('writes department text as plain text: never markup, never a formula', async () => {
    // Prepare
    const hostile = '=HYPERLINK("http://x","y")</t><script>&amp;]]>\u0001';
    const original = handMade(`<row r="2">${inline('A2', 'ECO-FAI')}</row>`);
    const receipt = receiptOf([notNumeric('E2', hostile)]);

    // Act
    const wb = await loadWorkbook(await writeAnnotatedCopy(readUpload(original), receipt));

    // Assess
    const row = wb.getWorksheet(RECEIPT_SHEET)?.getRow(5);
    const message = row?.getCell(5).value;
    expect(typeof message).toBe('string');
    expect(message).toBe(receipt.errors[0]?.message_zh.replace('\u0001', ''));
    expect(row?.getCell(5).formula).toBeUndefined();
    expect(noteOf(wb.getWorksheet('填报')?.getCell('E2') as ExcelJS.Cell)).toContain('</t><script>&amp;]]>');
  });

  it('keeps existing comments and lists the problems on the 回执 sheet only when the sheet has a legacy drawing', async () => {
    // Prepare: a workbook with a note of its own, as Excel users add them.
    const own = new ExcelJS.Workbook();
    const ownSheet = own.addWorksheet('填报');
    ownSheet.getCell('A2').value = 'ECO-FAI';
    ownSheet.getCell('E2').value = 'abc';
    ownSheet.getCell('F2').value = '说明';
    ownSheet.getCell('F2').note = '我们自己的批注';
    const original = new Uint8Array(await own.xlsx.writeBuffer());
    const receipt = receiptOf([notNumeric('E2', 'abc')]);

    // Act
    const wb = await loadWorkbook(await writeAnnotatedCopy(readUpload(original), receipt));

    // Assess
    const sheet = wb.getWorksheet('填报');
    expect(noteOf(sheet?.getCell('F2') as ExcelJS.Cell)).toBe('我们自己的批注');
    expect(noteOf(sheet?.getCell('E2') as ExcelJS.Cell)).toBe('');
    expect(sheet?.getCell('E2').fill).toMatchObject({ fgColor: { argb: ERROR_FILL } });
    const list = wb.getWorksheet(RECEIPT_SHEET);
    expect(String(list?.getCell('A3').value)).toContain('原有批注');
    expect(String(list?.getCell('A3').value)).toContain('listed here only');
    expect(list?.getCell('B5').value).toBe('value-not-numeric');
  });

  it('rewrites the 回执 sheet of an annotated copy sent back, instead of adding a second one', async () => {
    // Prepare
    const template = await ingestTemplate();
    const first = await writeAnnotatedCopy(readUpload(template), receiptOf([notNumeric('E2', 'abc')]));
    const second = receiptOf([outlier('E3')]);

    // Act
    const wb = await loadWorkbook(await writeAnnotatedCopy(readUpload(first), second));

    // Assess
    expect(wb.worksheets.map((s) => s.name)).toEqual(['填报', '说明', '_meta', RECEIPT_SHEET]);
    const list = wb.getWorksheet(RECEIPT_SHEET);
    expect(list?.getCell('A1').value).toBe(second.summary_zh);
    expect(list?.getCell('B5').value).toBe('outlier');
    expect(list?.getCell('B6').value).toBeNull();
    expect(wb.getWorksheet('填报')?.getCell('E3').fill).toMatchObject({ fgColor: { argb: WARNING_FILL } });
  });
});
