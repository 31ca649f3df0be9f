import { deflateRawSync } from 'node:zlib';
import type ExcelJS from 'exceljs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeAnnotatedCopy } from '../../../functions/adapters/workbook/annotated-copy.ts';
import { readUpload, readWorkbook } from '../../../functions/adapters/workbook/workbook-reader.ts';
import { WorkbookRejectedError } from '../../../functions/adapters/workbook/zip-guard.ts';
import { problem } from '../../../functions/core/ingest/problems.ts';
import { buildReceipt } from '../../../functions/core/ingest/receipt.ts';
import { HEADER } from '../../../functions/core/ingest/template-contract.ts';
import { DEFAULT_LIMITS } from '../../../functions/core/ingest/upload-limits.ts';
import type { Submission } from '../../../functions/core/submission.ts';
import { LIMITS } from '../../../functions/shared/limits.ts';
import { withDeflatedEntry } from '../../fixtures/bad-uploads.ts';
import { ingestTemplate, loadWorkbook } from '../../support/template-workbooks.ts';

const previous = { period: '2023-05', values: [{ code: 'ECO-FAI', value: 50 }] } as unknown as Submission;

describe('department template', () => {
  let bytes: Uint8Array;
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    bytes = await ingestTemplate({ catalogVersion: 2, previous });
    wb = await loadWorkbook(bytes);
  });

  it('has the 填报 header exactly, one row per indicator of the department, with unit and target', () => {
    // Act
    const sheet = wb.getWorksheet('填报');

    // Assess
    const table = (row: number) => ((sheet?.getRow(row).values ?? []) as unknown[]).slice(0, 5);
    expect(sheet?.getRow(1).values).toEqual([undefined, ...HEADER]);
    expect(table(2)).toEqual([undefined, 'ECO-FAI', '重点项目完成投资', '亿元', 100]);
    expect(table(6)).toEqual([undefined, 'CITY-BRIDGE', '焦武路大沙河桥', '阶段', '建成通车']);
    expect(sheet?.getCell('A7').value).toBeNull();
  });

  it('locks the sheet without a password and leaves 本期值 (and 情况说明) open, with data validation', () => {
    // Act
    const sheet = wb.getWorksheet('填报');

    // Assess
    const protection = (sheet as unknown as { sheetProtection?: Record<string, unknown> }).sheetProtection;
    expect(protection).toMatchObject({ sheet: true });
    expect(protection).not.toHaveProperty('hashValue');
    expect(sheet?.getCell('E2').protection).toMatchObject({ locked: false });
    expect(sheet?.getCell('F2').protection).toMatchObject({ locked: false });
    expect(sheet?.getCell('D2').protection?.locked).not.toBe(false);
    expect(sheet?.getCell('E2').dataValidation).toMatchObject({ type: 'decimal' });
    expect(sheet?.getCell('E2').dataValidation.prompt).toContain('上期已报:50');
    expect(sheet?.getCell('E5').dataValidation).toMatchObject({ type: 'whole' });
    expect(sheet?.getCell('E6').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"未开工,开工,主体完成,建成通车"'],
    });
  });

  it('prints on A4 landscape one page wide, header row repeated, whose form it is in the page header', () => {
    // Act
    const sheet = wb.getWorksheet('填报');

    // Assess
    expect(sheet?.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    });
    expect(sheet?.headerFooter.oddHeader).toContain('2023年6月');
    expect(sheet?.headerFooter.oddFooter).toContain('填报人');
    expect(sheet?.headerFooter.oddFooter).toContain('审核人');
    expect(sheet?.headerFooter.oddFooter).toContain('&P');
  });

  it('shows department and month beside the table and leaves 填报人, 联系电话 and 审核人 open to fill', () => {
    // Act
    const sheet = wb.getWorksheet('填报');
    const parsed = readWorkbook(bytes);

    // Assess
    expect(sheet?.getCell('H2').value).toBe('填报单位');
    expect(String(sheet?.getCell('I2').value)).toContain('fgw');
    expect(sheet?.getCell('H3').value).toBe('填报月份');
    expect(sheet?.getCell('I3').value).toBe('2023年6月');
    for (const [label, entry] of [
      ['H5', 'I5'],
      ['H6', 'I6'],
      ['H7', 'I7'],
    ] as const) {
      expect(sheet?.getCell(label).value).toMatch(/^(填报人|联系电话|审核人)$/);
      expect(sheet?.getCell(entry).protection).toMatchObject({ locked: false });
    }
    expect(sheet?.getCell('I2').protection?.locked).not.toBe(false);
    // Row 1 stays the header alone: nothing beside it for the header check to call an extra column.
    expect(parsed.data?.rows[0]?.cells.filter(Boolean)).toHaveLength(HEADER.length);
  });

  it('hides _meta with department, period, catalog version and template id; explains in 说明', () => {
    // Act
    const parsed = readWorkbook(bytes);

    // Assess
    expect(wb.getWorksheet('_meta')?.state).toBe('hidden');
    expect(parsed.meta?.department?.value).toBe('fgw');
    expect(parsed.meta?.period?.value).toBe('2023-06');
    expect(parsed.meta?.catalogVersion?.value).toBe('2');
    expect(parsed.meta?.templateId?.value).toMatch(/^T2023-fgw-2023-06-[0-9a-f]{8}$/);
    const guide = wb.getWorksheet('说明')?.getColumn(1).values.join('\n');
    expect(guide).toContain('填报说明');
    expect(guide).toContain('ECO-FAI 重点项目完成投资:50 亿元');
  });
});

/** A minimal xlsx written by hand-built XML parts, for reader edge cases exceljs does not produce. */
/** The problem a refused read carries. */
function rejection(read: () => unknown) {
  try {
    read();
  } catch (error) {
    if (error instanceof WorkbookRejectedError) return error.problem;
    throw error;
  }
  return undefined;
}

function minimalXlsx(sheetXml: string, extra: Record<string, string> = {}): Uint8Array {
  return zipSync({
    'xl/workbook.xml': strToU8(
      '<workbook xmlns:r="r"><sheets><sheet name="填报" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    'xl/worksheets/sheet1.xml': strToU8(`<worksheet><sheetData>${sheetXml}</sheetData></worksheet>`),
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, strToU8(v)])),
  });
}

describe('bounded workbook reader', () => {
  it('reads inline strings, booleans, errors, formulas and percent styles; keeps only code, value and note below the header', () => {
    // Prepare
    const styles =
      '<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>';
    const xlsx = minimalXlsx(
      '<row r="2"><c r="A2" t="inlineStr"><is><t>ECO-FAI</t></is></c><c r="B2" t="inlineStr"><is><t>name</t></is></c><c r="E2" t="b"><v>1</v></c></row>' +
        '<row r="3"><c r="E3" t="e"><f>1/0</f><v>#DIV/0!</v></c></row><row r="4"><c r="E4"><f>1+1</f></c></row><row r="5"><c r="E5" s="1"><v>0.125</v></c></row>',
      { 'xl/styles.xml': styles },
    );

    // Act
    const rows = readWorkbook(xlsx).data?.rows;

    // Assess
    expect(rows?.[0]?.cells[0]).toEqual({ address: 'A2', value: 'ECO-FAI', formula: false });
    expect(rows?.[0]?.cells[1]).toBeUndefined();
    expect(rows?.[0]?.cells[4]).toEqual({ address: 'E2', value: true, formula: false });
    expect(rows?.[1]?.cells[4]).toEqual({ address: 'E3', value: null, formula: true, error: '#DIV/0!' });
    expect(rows?.[2]?.cells[4]).toEqual({ address: 'E4', value: null, formula: true });
    expect(rows?.[3]?.cells[4]).toEqual({ address: 'E5', value: 0.125, formula: false, percentFormat: true });
  });

  it('reads shared strings with rich text, phonetic runs and entities, and refuses an undefined entity', () => {
    // Prepare
    const sheet =
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>';
    const strings = (third: string) =>
      `<sst><si><r><t>指标</t></r><r><t xml:space="preserve">编码 </t></r><rPh><t>ZHI</t></rPh></si><si><t>A&amp;B &#x4E2D;</t></si><si>${third}</si></sst>`;

    // Act
    const cells = readWorkbook(minimalXlsx(sheet, { 'xl/sharedStrings.xml': strings('<t/>') })).data?.rows[0]
      ?.cells;
    const read = () => readWorkbook(minimalXlsx(sheet, { 'xl/sharedStrings.xml': strings('<t>&xxe;</t>') }));

    // Assess
    expect(cells?.map((c) => c?.value)).toEqual(['指标编码 ', 'A&B 中', '']);
    expect(read).toThrow(/undefined entity/);
  });

  it('stops at the row limit with too-many-rows', () => {
    // Prepare
    const rows = Array.from(
      { length: 30 },
      (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`,
    ).join('');

    // Act
    const read = () => readWorkbook(minimalXlsx(rows), { limits: { ...DEFAULT_LIMITS, maxRows: 20 } });

    // Assess
    expect(read).toThrow(WorkbookRejectedError);
    try {
      read();
    } catch (error) {
      expect((error as WorkbookRejectedError).problem).toMatchObject({
        code: 'too-many-rows',
        sheet: '填报',
      });
    }
  });

  it('refuses a million-row sheet from its <dimension>, without reading the rows', () => {
    // Prepare: the rows after the first are broken XML, which reading them would report instead.
    const padding = `<row r="2"><c r="F2" t="inlineStr"><is><t>${'x'.repeat(20_000)}</t></is></c></row>`;
    const xlsx = zipSync({
      ...unzipSync(minimalXlsx('')),
      'xl/worksheets/sheet1.xml': strToU8(
        `<worksheet><sheetPr/><dimension ref="A1:F1000001"/><sheetData>${padding}<row r="3"><c r="A3"</sheetData></worksheet>`,
      ),
    });

    // Act
    const read = () => readWorkbook(xlsx);

    // Assess
    expect(read).toThrow(WorkbookRejectedError);
    expect(rejection(read)).toMatchObject({ code: 'too-many-rows', sheet: '填报' });
    expect(rejection(read)?.message_zh).toContain('A1:F1000001');
  });

  it('counts the rows of a large sheet before reading it, and stops at the first row past the limit', () => {
    // Prepare
    const rows = (n: number) =>
      Array.from(
        { length: n },
        (_, i) => `<x:row r="${i + 1}"><x:c r="A${i + 1}"><x:v>${i}</x:v></x:c></x:row>`,
      ).join('');
    const sheet = (n: number) =>
      minimalXlsx('', {
        'xl/worksheets/sheet1.xml': `<x:worksheet xmlns:x="x"><x:sheetData>${rows(n)}</x:sheetData></x:worksheet>`,
      });
    const options = { limits: { ...DEFAULT_LIMITS, maxRows: 2000 }, countRowsAbove: 0 };

    // Act
    const atLimit = readWorkbook(sheet(2000), options).data?.rows.length;
    const overLimit = () => readWorkbook(sheet(2001), options);

    // Assess
    expect(atLimit).toBe(2000);
    expect(rejection(overLimit)).toMatchObject({ code: 'too-many-rows' });
  });

  it('refuses a 1,000,000-row sheet with no <dimension> by counting its rows, naming the limit (#14 item 8)', () => {
    // Prepare: a sheet filled down a million rows, compressed as an office program would. A
    // block of 1,000 distinct rows, repeated: longer than deflate's window, so it compresses as
    // a real sheet does (about 10:1, under the bomb ratio) and costs little to build.
    let block = '';
    for (let r = 1; r <= 1000; r++) {
      block += `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>ECO-${r % 89}</t></is></c><c r="E${r}"><v>${(r * 7919) % 99991}.5</v></c></row>`;
    }
    const sheet = Buffer.concat([
      Buffer.from('<worksheet><sheetData>'),
      ...Array.from({ length: 1000 }, () => Buffer.from(block)),
      Buffer.from('</sheetData></worksheet>'),
    ]);
    const withoutSheet = unzipSync(minimalXlsx(''));
    delete withoutSheet['xl/worksheets/sheet1.xml'];
    const xlsx = withDeflatedEntry(
      zipSync(withoutSheet),
      'xl/worksheets/sheet1.xml',
      deflateRawSync(sheet, { level: 1 }),
      sheet.length,
    );

    // Act
    const refused = rejection(() => readWorkbook(xlsx));

    // Assess
    expect(refused).toMatchObject({ code: 'too-many-rows', sheet: '填报', value: LIMITS.maxSheetRows });
    expect(refused?.message_zh).toContain(`超过 ${LIMITS.maxSheetRows} 行`);
    expect(refused?.message_en).toContain(`more than ${LIMITS.maxSheetRows} rows`);
    // Building and deflating 100 MB of XML: seconds on a busy 2-core machine.
  }, 120_000);

  it('refuses as a bomb a large sheet that inflates past its declared size while its rows are counted', () => {
    // Prepare: the directory understates the sheet by a kilobyte.
    const sheet = Buffer.from(
      `<worksheet><sheetData>${Array.from({ length: 3000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join('')}</sheetData></worksheet>`,
    );
    const withoutSheet = unzipSync(minimalXlsx(''));
    delete withoutSheet['xl/worksheets/sheet1.xml'];
    const xlsx = withDeflatedEntry(
      zipSync(withoutSheet),
      'xl/worksheets/sheet1.xml',
      deflateRawSync(sheet),
      sheet.length - 1024,
    );

    // Act
    const refused = rejection(() => readWorkbook(xlsx, { countRowsAbove: 0 }));

    // Assess
    expect(refused).toMatchObject({ code: 'zip-size-mismatch' });
  });

  it('answers too-many-rows from the fast scanner without reading the sheet a second time', () => {
    // Prepare
    const rows = Array.from(
      { length: 30 },
      (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`,
    );
    const fallbacks: string[] = [];

    // Act
    const read = () =>
      readWorkbook(minimalXlsx(rows.join('')), {
        limits: { ...DEFAULT_LIMITS, maxRows: 20 },
        onScannerFallback: (part) => fallbacks.push(part),
      });

    // Assess
    expect(rejection(read)).toMatchObject({ code: 'too-many-rows' });
    expect(fallbacks).toEqual([]);
  });

  it('refuses a zip that is not a workbook', () => {
    // Act
    const read = () => readWorkbook(zipSync({ 'readme.txt': strToU8('hello') }));

    // Assess
    expect(read).toThrow(/not an Excel workbook/);
  });
});

describe('annotated copy', () => {
  it('highlights and comments each problem cell and opens on a 回执 sheet', async () => {
    // Prepare
    const template = await ingestTemplate();
    const receipt = buildReceipt({
      status: 'rejected',
      dept: 'fgw',
      period: '2023-06',
      problems: [
        problem({
          code: 'value-not-numeric',
          sheet: '填报',
          cell: 'E2',
          indicator: 'ECO-FAI',
          zh: '不是数字',
          en: 'not a number',
          value: 'abc',
        }),
        problem({
          code: 'indicator-missing',
          sheet: '填报',
          indicator: 'ECO-ENT',
          zh: '缺少',
          en: 'missing',
        }),
      ],
      rows: 5,
      values: 4,
      source: { bucket: 'b', key: 'k', sha256: 's', size: 1, receivedAt: 't', uploader: 'u' },
      objects: { raw: 'r', receipt: 'x', annotated: 'a', quarantine: 'q' },
    });

    // Act
    const wb = await loadWorkbook(await writeAnnotatedCopy(readUpload(template), receipt));

    // Assess
    const sheet = wb.getWorksheet('填报');
    expect(JSON.stringify(sheet?.getCell('E2').note)).toContain('不是数字');
    expect(sheet?.getCell('E2').fill).toMatchObject({ fgColor: { argb: 'FFFFC7CE' } });
    expect(JSON.stringify(sheet?.getCell('A3').note)).toContain('缺少');
    const receiptSheet = wb.getWorksheet('回执');
    expect(receiptSheet?.getCell('A1').value).toBe(receipt.summary_zh);
    expect(receiptSheet?.getRow(5).values).toEqual([
      undefined,
      '错误',
      'value-not-numeric',
      '填报!E2',
      'ECO-FAI',
      receipt.errors[0]?.message_zh,
      receipt.errors[0]?.message_en,
    ]);
  });
});
