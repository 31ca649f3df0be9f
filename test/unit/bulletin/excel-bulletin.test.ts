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

describe('the Excel bulletin says what the PDF says (#12 problem 10)', () => {
  const rows = allRows(sampleModel);
  const cells = async () => {
    const workbook = await readBack(await renderBulletinWorkbook(sampleModel));
    const sheet = workbook.getWorksheet(PROGRESS_SHEET);
    if (!sheet) throw new Error('no progress sheet');
    const header = headerOf(sheet);
    const of = (code: string, column: string) => {
      const index = rows.findIndex((r) => r.code === code);
      return sheet.getRow(index + 2).getCell(header.indexOf(column) + 1);
    };
    return { workbook, of };
  };

  it('stores every gap as a number in the unit the PDF prints: places, stages, points', async () => {
    // Prepare
    const rank = rows.find((r) => r.kind === 'rank' && r.gapSteps !== null && r.gapSteps < 0);
    const milestone = rows.find((r) => r.kind === 'milestone' && r.gapSteps !== null);
    const amount = rows.find((r) => r.kind === 'cumulative' && r.gapPoints !== null);
    if (!rank || !milestone || !amount) throw new Error('sample model lacks a rank, milestone or amount');

    // Act
    const { of } = await cells();

    // Assess
    expect(of(rank.code, '差距').value).toBe(rank.gapSteps);
    expect(of(rank.code, '差距').numFmt).toBe('+0"位";-0"位";0"位"');
    expect(of(milestone.code, '差距').value).toBe(milestone.gapSteps);
    expect(of(milestone.code, '差距').numFmt).toBe('+0"个节点";-0"个节点";0"个节点"');
    expect(of(amount.code, '差距').value).toBe(Number(amount.gapPoints?.toFixed(1)));
    expect(of(amount.code, '差距').numFmt).toContain('个百分点');
  });

  it('prints no completion rate for rates and ranks, and says where each target comes from', async () => {
    // Prepare
    const rate = rows.find((r) => r.kind === 'rate');
    const derived = rows.find((r) => r.targetBasis === 'derived');
    if (!rate || !derived) throw new Error('sample model lacks a rate or a derived target');

    // Act
    const { of } = await cells();

    // Assess
    expect(of(rate.code, '完成率').value).toBe('—');
    expect(of(rate.code, '序时进度').value).toBe(rate.expectedValue);
    expect(of(rate.code, '目标依据').value).toBe('假设');
    expect(of(derived.code, '目标依据').value).toBe('测算');
    expect(String(of(derived.code, '目标测算或说明').value)).toBe(derived.targetArithmetic);
  });

  it('writes the level to hold, as a number, as 序时进度 of a stock whose target is its baseline', async () => {
    // Act
    const { of } = await cells();

    // Assess: the PDF prints 18个 there, never a share of the year
    expect(of('ECO-CULTURE-TOURISM-PROJECTS', '序时进度').value).toBe(18);
    expect(of('ECO-CULTURE-TOURISM-PROJECTS', '完成率').value).toBe('—');
  });

  it('writes correction times in Beijing time and department sheets in catalog order', async () => {
    // Act
    const { workbook } = await cells();

    // Assess
    const corrections = workbook.getWorksheet('更正说明');
    const at = corrections?.getRow(3).getCell(8);
    expect(at?.value).toEqual(
      new Date(Date.parse(sampleModel.corrections.items[0]?.receivedAt ?? '') + 8 * 3600_000),
    );
    expect(at?.numFmt).toBe('yyyy-mm-dd hh:mm');
    const deptSheets = workbook.worksheets
      .map((w) => w.name)
      .filter((n) => sampleModel.departments.some((d) => d.shortName === n));
    const catalogOrder = [...sampleModel.departments]
      .sort((a, b) => a.order - b.order)
      .map((d) => d.shortName);
    expect(deptSheets).toEqual(catalogOrder);
    expect(workbook.getWorksheet('汇总')?.getCell('A2').value).toBe(`期号：${sampleModel.issueLabel}`);
  });
});

describe('reporting in the workbook', () => {
  it('gives each department its 报送情况, lateness, first arrival and reminder dates, and the due day', async () => {
    // Act
    const workbook = await readBack(await renderBulletinWorkbook(sampleModel));

    // Assess
    const sheet = workbook.getWorksheet('汇总');
    if (!sheet) throw new Error('no 汇总 sheet');
    const rows = (sheet.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    const header = rows.find((r) => r[0] === '名次') ?? [];
    const col = (name: string) => header.indexOf(name);
    expect(col('报送情况')).toBeGreaterThan(0);
    const nyj = rows.find((r) => r[3] === '农业农村局') ?? [];
    expect(nyj[col('报送情况')]).toBe('未报送（已催报：7月3日、7月4日）');
    expect(nyj[col('逾期报送')]).toBe('否');
    expect(nyj[col('催报日期')]).toBe('2023-07-03、2023-07-04');
    const wlj = rows.find((r) => r[3] === '文旅局') ?? [];
    expect(wlj[col('报送情况')]).toBe('已报送（第2版）');
    expect(wlj[col('首版收到时间')]).toBeInstanceOf(Date);
    const texts = rows.map((r) => r[0]);
    expect(texts).toContain(
      '报送截止日：2023年7月4日，按“次月4日（遇法定节假日或休息日顺延至下一个工作日）”确定',
    );
    expect(texts).toContain(sampleModel.reporting?.summary);
  });
});
