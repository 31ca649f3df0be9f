import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../functions/core/catalog/catalog-parse.ts';
import type { Catalog, Status } from '../../../functions/core/catalog/catalog-schema.ts';
import { assessCatalog } from '../../../functions/core/progress/assess-catalog.ts';
import type { IndicatorProgress } from '../../../functions/core/progress/progress-engine.ts';
import { departmentMoves, monthOverMonth, rollUp } from '../../../functions/core/progress/rollup.ts';
import { catalogData, departmentsData, numericIndicatorData } from '../../support/sample-catalog.ts';

function indicator(code: string, section: string, dept: string, target = 120) {
  return numericIndicatorData(code, dept, { section, unit: '个', target, reportedResult: target });
}

function catalog(): Catalog {
  return parseCatalog(
    catalogData({
      district: '解放区',
      title: '测试',
      sourceDocument: '测试',
      departments: departmentsData(['fgw', 'zjj', 'rsj', 'mzj'], '解放区'),
      indicators: [
        indicator('A-ONE', '经济结构', 'fgw'),
        indicator('A-TWO', '经济结构', 'fgw'),
        indicator('C-ONE', '城市建设', 'zjj'),
        indicator('C-TWO', '城市建设', 'zjj'),
        indicator('W-ONE', '民生福祉', 'rsj'),
      ],
    }),
    'test.yaml',
  );
}

describe('rollUp', () => {
  it('counts statuses per section and department, scores and ranks departments', () => {
    // Prepare: June; 60 is on schedule, 80 ahead, 52 behind, nothing reported for W-ONE
    const values = new Map<string, number>([
      ['A-ONE', 60],
      ['A-TWO', 80],
      ['C-ONE', 52],
      ['C-TWO', 130],
    ]);
    const progress = assessCatalog(catalog(), 6, values);

    // Act
    const r = rollUp(catalog(), progress);

    // Assess
    expect(progress.map((p) => p.status)).toEqual(['达进度', '超进度', '欠进度', '已完成', '未报送']);
    expect(r.overall).toMatchObject({ total: 5, score: 69 });
    expect(r.sections.map((s) => [s.section, s.total, s.score])).toEqual([
      ['经济结构', 2, 92.5],
      ['城市建设', 2, 80],
      ['民生福祉', 1, 0],
    ]);
    expect(r.sections[1]?.counts).toMatchObject({ 欠进度: 1, 已完成: 1, 达进度: 0 });
    expect(r.departments.map((d) => [d.dept, d.score, d.rank])).toEqual([
      ['fgw', 92.5, 1],
      ['zjj', 80, 2],
      ['rsj', 0, 3],
      ['mzj', null, null],
    ]);
  });

  it('gives equal scores an equal rank', () => {
    // Prepare
    const progress = assessCatalog(
      catalog(),
      12,
      new Map([
        ['A-ONE', 120],
        ['A-TWO', 120],
        ['C-ONE', 120],
        ['C-TWO', 120],
        ['W-ONE', 50],
      ]),
    );

    // Act
    const r = rollUp(catalog(), progress);

    // Assess
    expect(r.departments.map((d) => [d.dept, d.rank])).toEqual([
      ['fgw', 1],
      ['zjj', 1],
      ['rsj', 3],
      ['mzj', null],
    ]);
  });

  it('refuses progress for an indicator the catalog does not have', () => {
    // Prepare
    const stray = { ...assessCatalog(catalog(), 1, new Map())[0], code: 'X-STRAY' } as IndicatorProgress;

    // Act / Assess
    expect(() => rollUp(catalog(), [stray])).toThrow(/X-STRAY is not in the 2023 catalog/);
  });
});

describe('month over month', () => {
  it('tells which indicators improved, worsened or are new, with deltas in points', () => {
    // Prepare
    const may = assessCatalog(
      catalog(),
      5,
      new Map([
        ['A-ONE', 30],
        ['A-TWO', 60],
      ]),
    ).filter((p) => p.code !== 'W-ONE');
    const june = assessCatalog(
      catalog(),
      6,
      new Map([
        ['A-ONE', 60],
        ['A-TWO', 61],
        ['C-ONE', 60],
      ]),
    );

    // Act
    const change = monthOverMonth(june, may);

    // Assess
    const byCode = new Map(change.indicators.map((c) => [c.code, c]));
    expect(byCode.get('A-ONE')).toMatchObject({
      statusBefore: '严重滞后',
      statusAfter: '达进度',
      movement: 'improved',
      completionPointsDelta: 25,
    });
    expect(byCode.get('A-TWO')).toMatchObject({ statusBefore: '超进度' as Status, movement: 'worsened' });
    expect(byCode.get('C-ONE')).toMatchObject({ statusBefore: '未报送', movement: 'improved' });
    expect(byCode.get('C-TWO')).toMatchObject({ movement: 'unchanged', completionPointsDelta: null });
    expect(byCode.get('W-ONE')).toMatchObject({ statusBefore: null, movement: 'new' });
    expect([change.improved, change.worsened, change.unchanged]).toEqual([2, 1, 1]);
  });

  it('moves department scores and ranks between two roll-ups', () => {
    // Prepare
    const may = rollUp(catalog(), assessCatalog(catalog(), 5, new Map([['C-ONE', 50]])));
    const june = rollUp(catalog(), assessCatalog(catalog(), 6, new Map([['A-ONE', 60]])));

    // Act
    const moves = departmentMoves(june, may);

    // Assess
    expect(moves.find((m) => m.dept === 'fgw')).toMatchObject({
      scoreBefore: 0,
      scoreAfter: 42.5,
      scoreDelta: 42.5,
      rankBefore: 2,
      rankAfter: 1,
    });
    expect(departmentMoves(june, undefined)[0]).toMatchObject({ scoreBefore: null, scoreDelta: null });
  });
});
