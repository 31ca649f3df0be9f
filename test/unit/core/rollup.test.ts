import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../functions/core/catalog/catalog-parse.ts';
import type { Catalog } from '../../../functions/core/catalog/catalog-schema.ts';
import type { IndicatorProgress } from '../../../functions/core/progress/progress-engine.ts';
import { departmentMoves, rankChangeText, rollUp } from '../../../functions/core/progress/rollup.ts';
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
  it('counts statuses per section and department and ranks departments by the share on schedule', () => {
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
    expect(r.overall).toMatchObject({ total: 5, judged: 5, onSchedule: 3, sharePercent: 60 });
    expect(r.sections.map((s) => [s.section, s.total, s.sharePercent])).toEqual([
      ['经济结构', 2, 100],
      ['城市建设', 2, 50],
      ['民生福祉', 1, 0],
    ]);
    expect(r.sections[1]?.counts).toMatchObject({ 欠进度: 1, 已完成: 1, 达进度: 0 });
    expect(r.departments.map((d) => [d.dept, d.sharePercent, d.rank, d.tied])).toEqual([
      ['fgw', 100, 1, false],
      ['zjj', 50, 2, false],
      ['rsj', 0, 3, false],
      ['mzj', null, null, false],
    ]);
  });

  it('ranks by the printed share, never above a department with a higher share (#12 problem 1)', () => {
    // Prepare: fgw has one of two on schedule (and that one 超进度), zjj two of two merely 达进度
    const progress = assessCatalog(
      catalog(),
      6,
      new Map([
        ['A-ONE', 119],
        ['A-TWO', 20],
        ['C-ONE', 60],
        ['C-TWO', 61],
        ['W-ONE', 60],
      ]),
    );

    // Act
    const r = rollUp(catalog(), progress);

    // Assess: the order follows the share printed beside it; equal shares are tied, by name within
    expect(r.departments.map((d) => [d.shortName, d.sharePercent, d.rank, d.tied])).toEqual([
      ['人社局', 100, 1, true],
      ['住建局', 100, 1, true],
      ['发改委', 50, 3, false],
      ['民政局', null, null, false],
    ]);
    const shares = r.departments.flatMap((d) => (d.sharePercent === null ? [] : [d.sharePercent]));
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
  });

  it('leaves indicators not judged this month out of the share', () => {
    // Prepare: a quarterly W-ONE in May is not judged; rsj leads nothing else
    const quarterly = parseCatalog(
      catalogData({
        departments: departmentsData(['fgw', 'rsj']),
        indicators: [
          indicator('A-ONE', '经济结构', 'fgw'),
          { ...indicator('W-ONE', '民生福祉', 'rsj'), frequency: 'quarterly' },
        ],
      }),
      'q.yaml',
    );

    // Act
    const r = rollUp(quarterly, assessCatalog(quarterly, 5, new Map([['A-ONE', 50]])));

    // Assess
    expect(r.overall).toMatchObject({ total: 2, judged: 1, onSchedule: 1, sharePercent: 100 });
    expect(r.overall.counts.本期不判定).toBe(1);
    expect(r.departments.map((d) => [d.dept, d.rank])).toEqual([
      ['fgw', 1],
      ['rsj', null],
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
  it('moves department places between two roll-ups: up, down, new', () => {
    // Prepare: in May only zjj reported well; in June fgw did
    const may = rollUp(
      catalog(),
      assessCatalog(
        catalog(),
        5,
        new Map([
          ['C-ONE', 50],
          ['C-TWO', 50],
        ]),
      ),
    );
    const june = rollUp(
      catalog(),
      assessCatalog(
        catalog(),
        6,
        new Map([
          ['A-ONE', 60],
          ['A-TWO', 60],
        ]),
      ),
    );

    // Act
    const moves = departmentMoves(june, may);
    const first = departmentMoves(june, undefined);

    // Assess
    const of = (dept: string) => moves.find((m) => m.dept === dept);
    expect(of('fgw')).toMatchObject({ rankBefore: 2, rankAfter: 1, change: { kind: 'up', places: 1 } });
    expect(of('zjj')).toMatchObject({ rankBefore: 1, rankAfter: 2, change: { kind: 'down', places: 1 } });
    expect(rankChangeText(of('fgw')?.change ?? { kind: 'same' })).toBe('↑1');
    expect(rankChangeText(of('zjj')?.change ?? { kind: 'same' })).toBe('↓1');
    expect(first[0]?.change).toEqual({ kind: 'new' });
    expect(rankChangeText({ kind: 'new' })).toBe('新');
    expect(of('mzj')?.change).toEqual({ kind: 'unranked' });
  });
});
