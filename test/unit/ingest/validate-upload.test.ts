import { describe, expect, it } from 'vitest';
import type { ParsedCell, ParsedWorkbook } from '../../../functions/core/ingest/parsed-workbook.ts';
import { cellAddress } from '../../../functions/core/ingest/problems.ts';
import { HEADER, templateId } from '../../../functions/core/ingest/template-contract.ts';
import { type ValidationContext, validateUpload } from '../../../functions/core/ingest/validate-upload.ts';
import type { Submission } from '../../../functions/core/submission.ts';
import { ingestCatalog } from '../../fixtures/ingest-catalog.ts';

const catalog = ingestCatalog();
const CODES = ['ECO-FAI', 'ECO-ENT', 'ECO-FAI-GROWTH', 'ECO-RETAIL-RANK', 'CITY-BRIDGE'];

type Raw = number | string | boolean | null | Partial<ParsedCell>;

function cell(column: number, row: number, raw: Raw): ParsedCell | undefined {
  const address = cellAddress(column, row);
  if (raw === null) return undefined;
  if (typeof raw === 'object') return { address, value: null, formula: false, ...raw };
  return { address, value: raw, formula: false };
}

/** A parsed fgw June workbook: header, one row per indicator, values as given (column E). */
function workbook(
  values: Raw[],
  options: { notes?: (string | null)[]; meta?: Record<string, string> | null } = {},
): ParsedWorkbook {
  const header = { row: 1, cells: HEADER.map((h, c) => cell(c, 1, h)) };
  const rows = CODES.map((code, i) => ({
    row: i + 2,
    cells: [
      cell(0, i + 2, code),
      cell(1, i + 2, 'name'),
      cell(2, i + 2, 'u'),
      cell(3, i + 2, 1),
      cell(4, i + 2, values[i] ?? null),
      cell(5, i + 2, options.notes?.[i] ?? null),
    ],
  }));
  const metaValues =
    options.meta === null
      ? undefined
      : {
          department: 'fgw',
          period: '2023-06',
          catalogYear: '2023',
          catalogVersion: '1',
          templateId: templateId('fgw', '2023-06', 2023, CODES),
          ...options.meta,
        };
  const meta = metaValues
    ? Object.fromEntries(
        Object.entries(metaValues).map(([k, v], i) => [k, { value: v, address: `B${i + 2}` }]),
      )
    : undefined;
  return { sheetNames: ['填报', '说明', '_meta'], data: { name: '填报', rows: [header, ...rows] }, meta };
}

const ctx: ValidationContext = { catalog, catalogVersion: 1, key: { dept: 'fgw', period: '2023-06' } };
const GOOD: Raw[] = [60, 31000, 5.5, 5, '主体完成'];

const may: Submission = {
  dept: 'fgw',
  period: '2023-05',
  version: 1,
  catalogYear: 2023,
  catalogVersion: 1,
  values: [
    { code: 'ECO-FAI', value: 50 },
    { code: 'ECO-ENT', value: 30500 },
    { code: 'ECO-FAI-GROWTH', value: 5.1 },
  ],
  sourceSha256: 'x',
  rawKey: 'raw/x.xlsx',
  sourceKey: 'incoming/fgw/2023-05/may.xlsx',
  uploader: 't',
  receivedAt: '2023-06-01T00:00:00Z',
  status: 'accepted',
};

const codesOf = (r: ReturnType<typeof validateUpload>) =>
  r.problems.map((p) => `${p.severity}:${p.code}@${p.cell ?? ''}`);

describe('validateUpload', () => {
  it('accepts what departments really type: full-width digits, separators, a unit, 12.5%, a formula result', () => {
    // Prepare
    const parsed = workbook(['６０', '31,000户', '12.5%', { value: 5, formula: true }, '主体完成']);

    // Act
    const result = validateUpload(parsed, ctx);

    // Assess
    expect(result.problems).toEqual([]);
    expect(result.values.map((v) => v.value)).toEqual([60, 31000, 12.5, 5, '主体完成']);
  });

  it('reads a percent-formatted cell (0.125 shown as 12.5%) as 12.5 in a % row', () => {
    // Act
    const result = validateUpload(
      workbook([60, 31000, { value: 0.125, percentFormat: true }, 5, '开工']),
      ctx,
    );

    // Assess
    expect(result.values[2]?.value).toBe(12.5);
  });

  it('accepts 未开工 as a milestone stage and skips blank rows', () => {
    // Prepare
    const parsed = workbook([...GOOD.slice(0, 4), '未开工']);
    const withBlank: ParsedWorkbook = {
      ...parsed,
      data: {
        name: '填报',
        rows: [...(parsed.data?.rows ?? []), { row: 9, cells: [undefined, cell(1, 9, '  ')] }],
      },
    };

    // Act
    const result = validateUpload(withBlank, ctx);

    // Assess
    expect(result.problems).toEqual([]);
    expect(result.rows).toBe(5);
  });

  it('names sheet, cell and indicator in both languages, the indicator by its name (#12 problem 8)', () => {
    // Act
    const [p] = validateUpload(workbook(['abc', ...GOOD.slice(1)]), ctx).problems;

    // Assess
    expect(p).toMatchObject({
      code: 'value-not-numeric',
      sheet: '填报',
      cell: 'E2',
      indicator: 'ECO-FAI',
      indicatorName: '重点项目完成投资',
      value: 'abc',
    });
    expect(p?.message_zh).toMatch(/^工作表「填报」 单元格 E2 指标「重点项目完成投资」:/);
    expect(p?.message_en).toMatch(/^sheet "填报", cell E2, indicator "重点项目完成投资":/);
    expect(p?.message_zh).not.toContain('ECO-FAI');
    expect(p?.message_en).not.toContain('ECO-FAI');
  });

  it('needs the flags when _meta is missing, and warns when they are given', () => {
    // Act
    const without = validateUpload(workbook(GOOD, { meta: null }), ctx);
    const withFlags = validateUpload(workbook(GOOD, { meta: null }), {
      ...ctx,
      flags: { dept: 'fgw', period: '2023-06' },
    });

    // Assess
    expect(codesOf(without)).toEqual(['error:meta-missing@']);
    expect(codesOf(withFlags)).toEqual(['warning:meta-missing@']);
    expect(withFlags.values).toHaveLength(5);
  });

  it('flags a period that disagrees between _meta and the key at the _meta cell', () => {
    // Act
    const result = validateUpload(workbook(GOOD), { ...ctx, key: { dept: 'fgw', period: '2023-07' } });

    // Assess
    expect(codesOf(result)).toEqual(['error:period-mismatch@B3']);
  });

  it('accepts a template from an older catalog version with a warning when the indicators are unchanged', () => {
    // Act
    const result = validateUpload(workbook(GOOD), { ...ctx, catalogVersion: 3 });

    // Assess
    expect(codesOf(result)).toEqual(['warning:catalog-version-outdated@B5']);
  });

  it('refuses a template whose indicator set no longer matches the catalog', () => {
    // Prepare
    const changed = ingestCatalog({ indicators: catalog.indicators.filter((i) => i.code !== 'CITY-BRIDGE') });

    // Act
    const result = validateUpload(workbook(GOOD), { ...ctx, catalog: changed, catalogVersion: 2 });

    // Assess
    expect(codesOf(result)).toEqual(['error:template-mismatch@B6']);
  });

  it('warns about a fall in a cumulative value when 情况说明 explains it, and errs when it does not', () => {
    // Act
    const explained = validateUpload(workbook([40, ...GOOD.slice(1)], { notes: ['剔除重复统计'] }), {
      ...ctx,
      previous: may,
    });
    const unexplained = validateUpload(workbook([40, ...GOOD.slice(1)]), { ...ctx, previous: may });

    // Assess
    expect(codesOf(explained)).toEqual(['warning:cumulative-decreased@E2']);
    expect(explained.values[0]).toEqual({ code: 'ECO-FAI', value: 40, note: '剔除重复统计' });
    expect(codesOf(unexplained)).toEqual(['error:cumulative-decreased@E2']);
  });

  it('warns about outliers against last month but not across a year boundary', () => {
    // Prepare
    const december = { ...may, period: '2022-12' };

    // Act
    const outliers = validateUpload(workbook([60, 310000, 30, ...GOOD.slice(3)]), { ...ctx, previous: may });
    const newYear = validateUpload(workbook([60, 310000, 30, ...GOOD.slice(3)]), {
      ...ctx,
      previous: december,
    });

    // Assess
    expect(codesOf(outliers)).toEqual(['warning:outlier@E3', 'warning:outlier@E4']);
    expect(newYear.problems).toEqual([]);
  });

  it('allows a negative growth rate where the catalog says so but not a negative count', () => {
    // Act
    const result = validateUpload(workbook([60, -1, -3.2, 5, '开工']), ctx);

    // Assess
    expect(codesOf(result)).toEqual(['error:value-negative@E3']);
  });

  it('reports a formula error and a formula without a cached result', () => {
    // Act
    const result = validateUpload(
      workbook([{ formula: true, error: '#REF!' }, { formula: true }, ...GOOD.slice(2)]),
      ctx,
    );

    // Assess
    expect(codesOf(result)).toEqual(['error:formula-error@E2', 'error:formula-no-cached-result@E3']);
  });

  it('rejects an unknown department before looking at rows', () => {
    // Act
    const result = validateUpload(workbook(GOOD, { meta: { department: 'nosuch' } }), {
      ...ctx,
      key: { dept: 'nosuch', period: '2023-06' },
    });

    // Assess
    expect(codesOf(result)).toEqual(['error:dept-unknown@']);
  });

  it('rejects a percent-formatted value in a row that is not in % (40.5% typed into 亿元)', () => {
    // Act
    const result = validateUpload(
      workbook([{ value: 0.405, percentFormat: true }, 31000, 5.5, 5, '开工']),
      ctx,
    );

    // Assess
    expect(codesOf(result)).toEqual(['error:value-unit-mismatch@E2']);
    const [mismatch] = result.problems;
    expect(mismatch?.value).toBe('40.5%');
    expect(mismatch?.message_zh).toContain('亿元');
    expect(mismatch?.message_en).toContain('cell E2');
  });

  it('tells a 填报人/联系电话 line under the table not to add rows, and an edited code not to edit codes', () => {
    // Prepare
    const parsed = workbook(GOOD);
    const footer = {
      row: 8,
      cells: [
        cell(0, 8, '填报人：张三'),
        undefined,
        undefined,
        undefined,
        cell(4, 8, '联系电话：13800000000'),
      ],
    };
    const withFooter: ParsedWorkbook = {
      ...parsed,
      data: { name: '填报', rows: [...(parsed.data?.rows ?? []), footer] },
    };

    // Act
    const result = validateUpload(withFooter, ctx);
    const edited = validateUpload(
      {
        ...parsed,
        data: {
          name: '填报',
          rows: [...(parsed.data?.rows ?? []), { row: 8, cells: [cell(0, 8, 'ECO-XXX')] }],
        },
      },
      ctx,
    );

    // Assess
    expect(codesOf(result)).toEqual(['error:row-added@A8']);
    expect(result.problems[0]?.message_zh).toContain('请勿在表格中新增行');
    expect(result.problems[0]?.message_zh).not.toContain('请勿修改指标编码');
    expect(codesOf(edited)).toEqual(['error:indicator-unknown@A8']);
    expect(edited.problems[0]?.message_zh).toContain('请勿修改指标编码');
  });

  it('warns about a note past 200 characters and rejects one past 500 without quoting it whole', () => {
    // Prepare
    const long = '进'.repeat(201);
    const tooLong = '度'.repeat(10 * 1024 * 1024);

    // Act
    const warned = validateUpload(workbook(GOOD, { notes: [long] }), ctx);
    const rejected = validateUpload(workbook(GOOD, { notes: [null, tooLong] }), ctx);

    // Assess
    expect(codesOf(warned)).toEqual(['warning:note-long@F2']);
    expect(warned.values[0]?.note).toBe(long);
    expect(codesOf(rejected)).toEqual(['error:note-too-long@F3']);
    const [problem] = rejected.problems;
    expect(problem?.message_zh).toContain(String(tooLong.length));
    expect(JSON.stringify(problem).length).toBeLessThan(2000);
  });

  it('names the cell and each character the bulletin font cannot draw, and keeps the note as typed', () => {
    // Prepare
    const note = '受强降雨影响，进度略有滞后😷，负责人吉(𠮷)';

    // Act
    const result = validateUpload(workbook(GOOD, { notes: [note] }), ctx);

    // Assess
    expect(codesOf(result)).toEqual(['warning:text-not-printable@F2']);
    const [warning] = result.problems;
    expect(warning?.message_zh).toContain('😷(U+1F637)');
    expect(warning?.message_zh).toContain('𠮷(U+20BB7)');
    expect(warning?.message_en).toContain('cell F2');
    expect(result.values[0]?.note).toBe(note);
  });

  it('reads 填报人, 联系电话 and 审核人 from the signature block, and refuses an entry too long', () => {
    // Prepare
    const parsed = workbook(GOOD);
    const rows = parsed.data?.rows ?? [];
    const signed = (entries: Record<number, string>): ParsedWorkbook => ({
      ...parsed,
      data: {
        name: '填报',
        rows: [
          ...rows.map((r) => {
            const label = { 5: '填报人', 6: '联系电话：' }[r.row];
            const entry = entries[r.row];
            if (!label || !entry) return r;
            const cells = [...r.cells];
            cells[7] = cell(7, r.row, label);
            cells[8] = cell(8, r.row, entry);
            return { ...r, cells };
          }),
          {
            row: 7,
            cells: [
              undefined,
              undefined,
              undefined,
              undefined,
              undefined,
              undefined,
              undefined,
              cell(7, 7, '审核人'),
              cell(8, 7, '李四'),
            ],
          },
        ],
      },
    });

    // Act
    const result = validateUpload(signed({ 5: '张三', 6: '0371-12345678' }), ctx);
    const tooLong = validateUpload(signed({ 5: '张'.repeat(41), 6: '0371-12345678' }), ctx);

    // Assess
    expect(codesOf(result)).toEqual([]);
    expect(result.signatures).toEqual({ preparer: '张三', phone: '0371-12345678', reviewer: '李四' });
    expect(codesOf(tooLong)).toEqual(['error:contact-too-long@I5']);
    expect(tooLong.signatures).toEqual({ phone: '0371-12345678', reviewer: '李四' });
  });
});
