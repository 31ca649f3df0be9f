import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  MILESTONE_SHEET,
  PROGRESS_SHEET,
  renderBulletinWorkbook,
  STATUS_FILLS,
  safeText,
  sheetName,
} from '../../../functions/adapters/excel-bulletin.ts';
import { allRows } from '../../../functions/core/bulletin/bulletin-model.ts';
import { sampleModel } from '../../fixtures/bulletin/sample-model.ts';

async function readBack(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook;
}

function headerOf(sheet: ExcelJS.Worksheet): string[] {
  const values = sheet.getRow(1).values as unknown[];
  return values.slice(1).map(String);
}

describe('safeText', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+86 123', "'+86 123"],
    ['-5%', "'-5%"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['正常说明 =1', '正常说明 =1'],
    ['', ''],
  ])('escapes %j as %j', (input, expected) => {
    // Act
    const out = safeText(input);

    // Assess
    expect(out).toBe(expected);
  });
});

describe('sheetName', () => {
  it('strips forbidden characters, truncates and deduplicates', () => {
    // Prepare
    const taken = new Set(['汇总']);

    // Act
    const names = [sheetName('汇总', taken), sheetName('a/b[c]', taken), sheetName('x'.repeat(40), taken)];

    // Assess
    expect(names).toEqual(['汇总2', 'a_b_c_', 'x'.repeat(28)]);
  });
});

describe('renderBulletinWorkbook', () => {
  it('writes the 指标进度 header contract, one row per indicator, frozen header and autofilter', async () => {
    // Act
    const workbook = await readBack(await renderBulletinWorkbook(sampleModel));

    // Assess
    const sheet = workbook.getWorksheet(PROGRESS_SHEET);
    expect(sheet).toBeDefined();
    if (!sheet) return;
    expect(headerOf(sheet).slice(0, 8)).toEqual([
      '指标编码',
      '指标名称',
      '责任单位',
      '本期值',
      '年度目标',
      '完成率',
      '序时进度',
      '状态',
    ]);
    const rows = allRows(sampleModel);
    expect(sheet.actualRowCount).toBe(rows.length + 1);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    const first = rows[0];
    const gdp = sheet.getRow(2);
    expect(gdp.getCell(1).value).toBe(first?.code);
    expect(gdp.getCell(3).value).toBe(first?.deptShortName);
    expect(gdp.getCell(4).value).toBe(first?.value);
    expect(gdp.getCell(6).numFmt).toBe('0.0%');
    expect(gdp.getCell(6).value).toBe(first?.completionRate);
    expect(gdp.getCell(8).value).toBe(first?.status);
    expect((gdp.getCell(8).fill as ExcelJS.FillPattern).fgColor?.argb).toBe(
      STATUS_FILLS[first?.status ?? '未报送'],
    );
    const late = sheet.getColumn(8).values.filter((v) => v === '未报送');
    expect(late).toHaveLength(sampleModel.statusCounts.未报送);
  });

  it('keeps a department note that looks like a formula as inert escaped text', async () => {
    // Prepare
    const note = sampleModel.sections.flatMap((s) => s.rows).find((r) => r.note.startsWith('='))?.note;
    expect(note).toBeDefined();

    // Act
    const workbook = await readBack(await renderBulletinWorkbook(sampleModel));

    // Assess
    const sheet = workbook.getWorksheet(PROGRESS_SHEET);
    const cells: ExcelJS.Cell[] = [];
    sheet?.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false);
    expect(cells.map((c) => c.value)).toContain(`'${note}`);
    const noteCells = cells.filter((c) => typeof c.value === 'string' && /^[=+\-@\t\r]/.test(c.value));
    expect(noteCells).toEqual([]);
  });

  it('adds a sheet per department and one for milestones', async () => {
    // Act
    const workbook = await readBack(await renderBulletinWorkbook(sampleModel));

    // Assess
    const names = workbook.worksheets.map((w) => w.name);
    for (const d of sampleModel.departments) expect(names).toContain(d.shortName);
    const wlj = workbook.getWorksheet('文旅局');
    expect(wlj?.actualRowCount).toBe(1 + allRows(sampleModel).filter((r) => r.dept === 'wlj').length);
    const milestones = workbook.getWorksheet(MILESTONE_SHEET);
    expect(milestones?.actualRowCount).toBe(1 + sampleModel.milestones.length);
    expect(milestones?.getRow(2).getCell(2).value).toBe(sampleModel.milestones[0]?.name);
  });
});
