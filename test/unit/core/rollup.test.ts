import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../functions/core/catalog/catalog-parse.ts';
import type { Catalog } from '../../../functions/core/catalog/catalog-schema.ts';
import type { IndicatorProgress } from '../../../functions/core/progress/progress-engine.ts';
import { rollUp } from '../../../functions/core/progress/rollup.ts';
import { assessCatalog } from '../../support/assess-catalog.ts';
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
