import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  Indicator,
  MilestoneIndicator,
  NumericIndicator,
  QualitativeIndicator,
  StatusBands,
} from '../../../functions/core/catalog/catalog-schema.ts';
import {
  assessIndicator,
  expectedShare,
  expectedValue,
  ProgressInputError,
  statusRank,
} from '../../../functions/core/progress/progress-engine.ts';
import { PROPERTY_TIMEOUT_MS, propertyRuns } from '../../support/property-runs.ts';
import { honourIndicator, numericIndicatorData, ROAD_STAGES } from '../../support/sample-catalog.ts';

const bands: StatusBands = { aheadPoints: 5, seriouslyBehindPoints: 10 };

// Already in the parsed shape (coDepts and allowNegative filled in), as the engine receives it.
function numeric(overrides: Partial<NumericIndicator> = {}): NumericIndicator {
  return numericIndicatorData('T-NUM', 'fgw', {
    name: '测试指标',
    coDepts: [],
    allowNegative: true,
    ...overrides,
  }) as NumericIndicator;
}

function milestone(): MilestoneIndicator {
  return {
    code: 'T-ROAD',
    name: '林园路',
    section: '城市建设',
    dept: 'zjj',
    coDepts: [],
    source: '测试',
    targetBasis: 'assumed',
    kind: 'milestone',
    unit: '阶段',
    direction: 'higher',
    stages: [...ROAD_STAGES],
    reportedResult: '主体完成',
  };
}

const status = (indicator: Indicator, month: number, value: number | string | undefined, b = bands) =>
  assessIndicator(indicator, { month, value }, b).status;

describe('expectedShare (序时进度)', () => {
  it('is N/12 for a cumulative indicator, or its profile', () => {
    // Prepare
    const plain = numeric();
    const seasonal = numeric({
      profile: [0.06, 0.14, 0.2, 0.28, 0.38, 0.45, 0.54, 0.63, 0.71, 0.83, 0.91, 1],
    });

    // Assess
    expect(expectedShare(plain, 1)).toBeCloseTo(1 / 12, 12);
    expect(expectedShare(plain, 6)).toBe(0.5);
    expect(expectedShare(plain, 12)).toBe(1);
    expect(expectedShare(seasonal, 1)).toBe(0.06);
    expect(expectedShare(seasonal, 12)).toBe(1);
  });

  it('shares out the planned increment of a stock from its baseline', () => {
    // Prepare
    const fiveG = numeric({ kind: 'stock', unit: '个', baseline: 420, target: 550 });

    // Assess
    expect(expectedShare(fiveG, 1)).toBeCloseTo(1 / 12, 12);
    expect(expectedValue(fiveG, 1)).toBeCloseTo(420 + 130 / 12, 10);
    expect(expectedShare(fiveG, 12)).toBe(1);
    expect(expectedValue(fiveG, 12)).toBe(550);
  });

  it('is none for rates and ranks, and the planned stages for milestones', () => {
    // Assess
    expect(expectedShare(numeric({ kind: 'rate', unit: '%' }), 6)).toBeNull();
    expect(expectedShare(numeric({ kind: 'rank', unit: '位', direction: 'lower', target: 4 }), 6)).toBeNull();
    expect(expectedShare(milestone(), 1)).toBe(0);
    expect(expectedShare(milestone(), 8)).toBeCloseTo(2 / 3, 12);
    expect(expectedShare(milestone(), 12)).toBe(1);
  });

  it('rejects a month outside 1–12', () => {
    // Assess
    expect(() => expectedShare(numeric(), 0)).toThrow(ProgressInputError);
    expect(() => expectedShare(numeric(), 13)).toThrow(ProgressInputError);
  });
});

describe('cumulative indicators', () => {
  it.each([
    [1, 10, '达进度'],
    [1, 20, '超进度'],
    [1, 0, '欠进度'],
    [1, -5, '严重滞后'],
    [1, 120, '已完成'],
    [6, 126, '已完成'],
    [12, 120, '已完成'],
    [12, 108, '欠进度'],
    [12, 107, '严重滞后'],
  ])('month %d, value %d of 120 → %s', (month, value, expected) => {
    // Act / Assess
    expect(status(numeric(), month, value)).toBe(expected);
  });

  it('reports completion, 序时进度 and the gap in points', () => {
    // Act
    const p = assessIndicator(numeric({ target: 71.82 }), { month: 6, value: 40 }, bands);

    // Assess
    expect(p).toMatchObject({ code: 'T-NUM', kind: 'cumulative', dept: 'fgw', value: 40, target: 71.82 });
    expect(p.completionRate).toBeCloseTo(40 / 71.82, 12);
    expect(p.expectedShare).toBe(0.5);
    expect(p.expectedValue).toBe(35.91);
    expect(p.gapPoints).toBeCloseTo((40 / 71.82 - 0.5) * 100, 10);
    expect(p.status).toBe('超进度');
  });

  it('decides a band edge on exact decimals (0.165 of 0.3 at mid-year is exactly 5 points ahead)', () => {
    // Prepare: in binary floating point (0.165 − 0.15) / 0.3 × 100 is 4.9999…
    const small = numeric({ target: 0.3 });

    // Act
    const p = assessIndicator(small, { month: 6, value: 0.165 }, bands);

    // Assess
    expect(p.status).toBe('超进度');
  });

  it('follows the monthly profile', () => {
    // Prepare
    const seasonal = numeric({ profile: [0, 0.05, 0.35, 0.6, 0.7, 0.7, 0.7, 0.7, 0.75, 0.85, 0.95, 1] });

    // Act / Assess: 50% by June is behind a profile that expects 70%
    expect(status(seasonal, 6, 60)).toBe('严重滞后');
    expect(status(seasonal, 1, 0)).toBe('达进度');
  });

  it('inverts for lower-is-better and only calls a ceiling 已完成 in December', () => {
    // Prepare
    const ceiling = numeric({ direction: 'lower', target: 120 });

    // Assess
    expect(status(ceiling, 6, 50)).toBe('超进度');
    expect(status(ceiling, 6, 60)).toBe('达进度');
    expect(status(ceiling, 6, 70)).toBe('欠进度');
    expect(status(ceiling, 6, 100)).toBe('严重滞后');
    expect(status(ceiling, 1, 0)).toBe('超进度');
    expect(status(ceiling, 12, 110)).toBe('已完成');
    expect(status(ceiling, 12, 130)).toBe('欠进度');
  });

  it('handles a zero target without dividing by it', () => {
    // Prepare
    const noAccidents = numeric({ unit: '起', direction: 'lower', target: 0 });

    // Act
    const clean = assessIndicator(noAccidents, { month: 6, value: 0 }, bands);

    // Assess
    expect(clean).toMatchObject({ status: '达进度', completionRate: null, gapPoints: null });
    expect(status(noAccidents, 6, 1)).toBe('严重滞后');
    expect(status(noAccidents, 12, 0)).toBe('已完成');
    expect(status(noAccidents, 1, 2)).toBe('严重滞后');
    expect(status(numeric({ target: 0 }), 1, 0)).toBe('已完成');
  });

  it('handles a negative target (a reduction)', () => {
    // Prepare: reduce by 120 over the year
    const reduction = numeric({ direction: 'lower', target: -120 });

    // Assess
    expect(status(reduction, 6, -60)).toBe('达进度');
    expect(status(reduction, 6, -90)).toBe('超进度');
    expect(status(reduction, 6, -40)).toBe('严重滞后');
    expect(status(reduction, 12, -130)).toBe('已完成');
    expect(assessIndicator(reduction, { month: 6, value: -60 }, bands).completionRate).toBe(0.5);
  });

  it('is 未报送 without a value, still showing the schedule', () => {
    // Act
    const p = assessIndicator(numeric(), { month: 3, value: undefined }, bands);

    // Assess
    expect(p).toMatchObject({
      status: '未报送',
      value: null,
      completionRate: null,
      gapPoints: null,
      expectedShare: 0.25,
      expectedValue: 30,
    });
  });

  it('uses the configured bands', () => {
    // Prepare
    const strict: StatusBands = { aheadPoints: 2, seriouslyBehindPoints: 3 };

    // Assess: 13 of 120 in January is 2.5 points ahead; 5 is 4.2 behind
    expect(status(numeric(), 1, 13, strict)).toBe('超进度');
    expect(status(numeric(), 1, 13)).toBe('达进度');
    expect(status(numeric(), 1, 5, strict)).toBe('严重滞后');
    expect(status(numeric(), 1, 5)).toBe('欠进度');
  });

  it('rejects a value of the wrong type', () => {
    // Assess
    expect(() => status(numeric(), 3, '开工')).toThrow(ProgressInputError);
    expect(() => status(numeric(), 3, Number.NaN)).toThrow(ProgressInputError);
  });
});

describe('stock indicators', () => {
  const fiveG = numeric({ kind: 'stock', unit: '个', baseline: 420, target: 550 });

  it.each([
    [1, 431, '达进度'],
    [1, 470, '超进度'],
    [1, 420, '欠进度'],
    [1, 400, '严重滞后'],
    [6, 560, '超进度'],
    [12, 570, '已完成'],
    [12, 540, '欠进度'],
    [12, 480, '严重滞后'],
  ])('5G stations from 420 to 550: month %d, %d → %s', (month, value, expected) => {
    // Act / Assess
    expect(status(fiveG, month, value)).toBe(expected);
  });

  it('measures the gap on the planned increment, so a year without growth is 严重滞后 (#12 problem 3)', () => {
    // Prepare: 市场主体 27580 at the end of 2022, 30500 planned, no net growth all year
    const entities = numeric({ kind: 'stock', unit: '户', baseline: 27580, target: 30500 });

    // Act
    const december = assessIndicator(entities, { month: 12, value: 27580 }, bands);
    const june = assessIndicator(entities, { month: 6, value: 27580 }, bands);

    // Assess: behind by the whole increment, not by 9.6% of the stock
    expect(december).toMatchObject({ status: '严重滞后', gapPoints: -100, completionRate: 0 });
    expect(june).toMatchObject({
      status: '严重滞后',
      gapPoints: -50,
      expectedShare: 0.5,
      expectedValue: 29040,
    });
  });

  it('is not 已完成 before December just because it touched the target once (#12 problem 3)', () => {
    // Prepare
    const entities = numeric({ kind: 'stock', unit: '户', baseline: 27580, target: 30500 });

    // Act
    const july = assessIndicator(entities, { month: 7, value: 30600 }, bands);

    // Assess
    expect(july.status).toBe('超进度');
    expect(status(entities, 12, 30600)).toBe('已完成');
    expect(status(entities, 12, 30400)).toBe('欠进度');
  });

  it('treats a target equal to the baseline as a floor to hold', () => {
    // Prepare
    const keep = numeric({ kind: 'stock', unit: '个', baseline: 21, target: 21 });

    // Act
    const p = assessIndicator(keep, { month: 6, value: 21 }, bands);

    // Assess
    expect(p).toMatchObject({ status: '达进度', expectedValue: 21, completionRate: null, gapPoints: 0 });
    // No increment to share out: no 序时进度 share (June is not "50%" of holding a level).
    expect(p.expectedShare).toBeNull();
    expect(status(keep, 6, 20)).toBe('欠进度');
    expect(status(keep, 12, 21)).toBe('已完成');
  });

  it('inverts for lower-is-better (a concentration falling from 50 to 40)', () => {
    // Prepare
    const pm25 = numeric({
      kind: 'stock',
      unit: '微克/立方米',
      direction: 'lower',
      baseline: 50,
      target: 40,
    });

    // Assess
    expect(status(pm25, 6, 45)).toBe('达进度');
    expect(status(pm25, 6, 44)).toBe('超进度');
    expect(status(pm25, 6, 52)).toBe('严重滞后');
    expect(status(pm25, 1, 50)).toBe('欠进度');
    expect(status(pm25, 12, 40)).toBe('已完成');
  });
});

describe('rate indicators', () => {
  const growth = numeric({ kind: 'rate', unit: '%', target: 8 });

  it.each([
    [1, 8, '达进度'],
    [1, 8.9, '达进度'],
    [1, 9, '超进度'],
    [1, 7.5, '达进度'],
    [1, 7, '欠进度'],
    [1, 6, '欠进度'],
    [1, 5.8, '严重滞后'],
    [12, 8, '已完成'],
    [12, 15.19, '已完成'],
    [12, 7.6, '达进度'],
    [12, -2.5, '严重滞后'],
  ])('target 8%%: month %d, %d%% → %s', (month, value, expected) => {
    // Act / Assess
    expect(status(growth, month, value)).toBe(expected);
  });

  it('measures the gap in points of the rate itself and prints no completion rate (#12 problem 5)', () => {
    // Act
    const p = assessIndicator(growth, { month: 12, value: 5.8 }, bands);

    // Assess
    expect(p.gapPoints).toBe(-2.2);
    expect(p.completionRate).toBeNull();
    expect(p.expectedShare).toBeNull();
    expect(p.expectedValue).toBe(8);
  });

  it('judges 2.5% against 8% 严重滞后 and 99.9% against 100% on schedule (#12 problem 5)', () => {
    // Prepare
    const patrol = numeric({ kind: 'rate', unit: '%', target: 100 });

    // Assess
    expect(status(growth, 6, 2.5)).toBe('严重滞后');
    expect(status(patrol, 6, 99.9)).toBe('达进度');
    expect(status(patrol, 6, 99)).toBe('欠进度');
  });

  it('follows a seasonal profile, so a winter share is judged against a winter figure (#12 problem 5)', () => {
    // Prepare: good-air days are fewest in winter; the share expected climbs to 66% by December
    const profile = [52, 54, 57, 59, 60, 61, 62, 63, 64, 65, 65.5, 66];
    const seasonal = numeric({ kind: 'rate', unit: '%', target: 66, profile });

    // Act
    const february = assessIndicator(seasonal, { month: 2, value: 53.6 }, bands);

    // Assess
    expect(february).toMatchObject({ status: '达进度', expectedValue: 54 });
    expect(february.gapPoints).toBeCloseTo(-0.4, 10);
    expect(status(numeric({ kind: 'rate', unit: '%', target: 66 }), 2, 53.6)).toBe('严重滞后');
  });

  it('uses the rate bands of the catalog', () => {
    // Prepare
    const loose: StatusBands = { ...bands, rateTolerancePoints: 1, rateSeriouslyBehindPoints: 5 };

    // Assess
    expect(status(growth, 6, 7, loose)).toBe('达进度');
    expect(status(growth, 6, 5.8, loose)).toBe('欠进度');
    expect(status(growth, 6, 2.5, loose)).toBe('严重滞后');
  });

  it('handles zero and negative target rates and lower-is-better rates', () => {
    // Prepare
    const decline = numeric({ kind: 'rate', unit: '%', target: -2 });
    const unemployment = numeric({ kind: 'rate', unit: '%', direction: 'lower', target: 4 });

    // Assess
    expect(assessIndicator(decline, { month: 6, value: -1.5 }, bands)).toMatchObject({
      status: '达进度',
      completionRate: null,
      gapPoints: 0.5,
    });
    expect(status(decline, 6, -8)).toBe('严重滞后');
    expect(status(numeric({ kind: 'rate', unit: '%', target: 0 }), 6, 0)).toBe('达进度');
    expect(status(unemployment, 6, 3.5)).toBe('达进度');
    expect(status(unemployment, 6, 2.5)).toBe('超进度');
    expect(status(unemployment, 6, 5)).toBe('欠进度');
    expect(status(unemployment, 12, 3.5)).toBe('已完成');
  });
});

describe('rank indicators', () => {
  const retail = numeric({ kind: 'rank', unit: '位', direction: 'lower', target: 4 });

  it.each([
    [1, 4, '达进度'],
    [1, 3, '超进度'],
    [1, 5, '欠进度'],
    [1, 6, '欠进度'],
    [1, 7, '严重滞后'],
    [12, 4, '已完成'],
    [12, 1, '已完成'],
    [12, 5, '欠进度'],
    [12, 9, '严重滞后'],
  ])('target 第4位: month %d, 第%d位 → %s', (month, value, expected) => {
    // Act / Assess
    expect(status(retail, month, value)).toBe(expected);
  });

  it('counts places, not points, and tolerates the configured number of places', () => {
    // Act
    const p = assessIndicator(retail, { month: 6, value: 6 }, bands);
    const strict = status(retail, 6, 6, { ...bands, rankSeriouslyBehindPlaces: 1 });

    // Assess
    expect(p).toMatchObject({ gapSteps: -2, gapPoints: null, completionRate: null });
    expect(strict).toBe('严重滞后');
  });
});

describe('milestone indicators', () => {
  it.each([
    [1, '未开工', '达进度'],
    [1, '开工', '超进度'],
    [3, '未开工', '欠进度'],
    [8, '未开工', '严重滞后'],
    [9, '建成通车', '已完成'],
    [12, '建成通车', '已完成'],
    [12, '主体完成', '欠进度'],
    [12, '开工', '严重滞后'],
  ])('month %d, %s → %s', (month, value, expected) => {
    // Act / Assess
    expect(status(milestone(), month, value)).toBe(expected);
  });

  it('names the stage reached and the stage planned', () => {
    // Act
    const p = assessIndicator(milestone(), { month: 12, value: '主体完成' }, bands);
    const early = assessIndicator(milestone(), { month: 1, value: undefined }, bands);

    // Assess
    expect(p).toMatchObject({
      stageReached: '主体完成',
      stagePlanned: '建成通车',
      target: '建成通车',
      gapSteps: -1,
      completionRate: 2 / 3,
      expectedShare: 1,
    });
    expect(early).toMatchObject({ status: '未报送', stagePlanned: '未开工', value: null });
  });

  it('rejects a stage that is not in the plan', () => {
    // Assess
    expect(() => status(milestone(), 6, '竣工')).toThrow(/expected one of 未开工\|开工\|主体完成\|建成通车/);
    expect(() => status(milestone(), 6, 3)).toThrow(ProgressInputError);
  });
});

describe('a reached stage stays reached (#12 problem 2)', () => {
  it('keeps a milestone stage reported in May when the department misses June', () => {
    // Prepare: 前期手续完成 due in May, reached in May; nothing reported for June
    const earlier = ['未开工', '未开工', '开工', '开工', '主体完成'];

    // Act
    const june = assessIndicator(milestone(), { month: 6, value: undefined, earlier }, bands);

    // Assess
    expect(june).toMatchObject({ status: '未报送', stageReached: '主体完成', value: null });
  });

  it('judges on the furthest stage reported so far, even if a later report names an earlier one', () => {
    // Act
    const p = assessIndicator(milestone(), { month: 8, value: '开工', earlier: ['主体完成'] }, bands);

    // Assess
    expect(p).toMatchObject({ status: '达进度', stageReached: '主体完成', gapSteps: 0 });
  });
});

describe('deadline indicators (one-off results) (#12 problem 4)', () => {
  const honour = honourIndicator;

  it.each([
    [1, 0, '未到期'],
    [2, 0, '未到期'],
    [11, 0, '未到期'],
    [12, 0, '逾期未完成'],
    [5, 1, '已完成'],
    [12, 1, '已完成'],
  ])('0 or 1 of 1 due in December: month %d, %d → %s', (month, value, expected) => {
    // Act / Assess
    expect(status(honour(), month, value)).toBe(expected);
  });

  it('says why it is not judged yet and keeps an honour once reported', () => {
    // Prepare
    const two = honour({ target: 2, dueMonth: 10 });

    // Act
    const early = assessIndicator(two, { month: 3, value: 1 }, bands);
    const kept = assessIndicator(honour(), { month: 9, value: undefined, earlier: [0, 0, 1] }, bands);
    const late = assessIndicator(two, { month: 11, value: 1 }, bands);

    // Assess
    expect(early).toMatchObject({ status: '未到期', notJudgedReason: '10月底到期', completionRate: 0.5 });
    expect(kept.status).toBe('已完成');
    expect(late).toMatchObject({ status: '逾期未完成', dueMonth: 10 });
    expect(status(honour(), 3, undefined)).toBe('未报送');
  });
});

describe('qualitative tasks (定性任务)', () => {
  const review: QualitativeIndicator = {
    code: 'T-HEALTH-CITY',
    name: '国家卫生城市复审',
    section: '民生福祉',
    dept: 'wjw',
    coDepts: [],
    source: '顺利通过国家卫生城市届满复审',
    targetBasis: 'stated',
    kind: 'qualitative',
    unit: '阶段',
    direction: 'higher',
    stages: ['自查整改', '迎接复审', '通过复审'],
    dueMonth: 10,
  };

  it.each([
    [3, '自查整改', '未到期'],
    [9, '迎接复审', '未到期'],
    [10, '迎接复审', '逾期未完成'],
    [8, '通过复审', '已完成'],
    [12, '通过复审', '已完成'],
  ])('due in October: month %d, %s → %s', (month, value, expected) => {
    // Act / Assess
    expect(status(review, month, value)).toBe(expected);
  });

  it('names the stage reached and rejects a stage that is not listed', () => {
    // Act
    const p = assessIndicator(
      review,
      { month: 11, value: undefined, earlier: ['自查整改', '通过复审'] },
      bands,
    );

    // Assess
    expect(p).toMatchObject({ status: '已完成', stageReached: '通过复审' });
    expect(() => status(review, 6, '验收')).toThrow(/expected one of 未启动\|自查整改\|迎接复审\|通过复审/);
  });
});

describe('frequency (#12 problem 6)', () => {
  const gdp = numeric({ target: 175, frequency: 'quarterly' });
  const annual = numeric({ target: 10, frequency: 'annual' });

  it('judges a quarterly figure only in March, June, September and December', () => {
    // Act
    const january = assessIndicator(gdp, { month: 1, value: 10.4 }, bands);
    const march = assessIndicator(gdp, { month: 3, value: 40 }, bands);

    // Assess
    expect(january).toMatchObject({
      status: '本期不判定',
      notJudgedReason: '季度指标，3、6、9、12月判定',
      value: 10.4,
      expectedShare: null,
      gapPoints: null,
    });
    expect(status(gdp, 2, undefined)).toBe('本期不判定');
    expect(march).toMatchObject({ status: '欠进度', expectedShare: 0.25 });
    expect(status(gdp, 6, undefined)).toBe('未报送');
  });

  it('judges an annual figure in December only', () => {
    // Assess
    expect(status(annual, 6, 3)).toBe('本期不判定');
    expect(assessIndicator(annual, { month: 11, value: undefined }, bands).notJudgedReason).toBe(
      '年度指标，12月判定',
    );
    expect(status(annual, 12, 10)).toBe('已完成');
  });
});

describe('properties', () => {
  const figure = fc.integer({ min: -2000, max: 2000 }).map((n) => n / 10);
  const month = fc.integer({ min: 1, max: 12 });
  const numericIndicator = fc
    .record({
      kind: fc.constantFrom('cumulative', 'stock', 'rate', 'rank') as fc.Arbitrary<NumericIndicator['kind']>,
      direction: fc.constantFrom('higher', 'lower') as fc.Arbitrary<NumericIndicator['direction']>,
      target: figure,
      baseline: fc.option(figure, { nil: undefined }),
    })
    .map(({ kind, direction, target, baseline }) =>
      kind === 'rank'
        ? numeric({ kind, unit: '位', direction: 'lower', target: Math.max(1, Math.round(Math.abs(target))) })
        : numeric({ kind, direction, target, baseline: kind === 'stock' ? (baseline ?? 0) : baseline }),
    );

  it(
    'more progress never gives a worse status',
    () => {
      fc.assert(
        fc.property(numericIndicator, month, figure, figure, (indicator, m, a, b) => {
          // Prepare
          const [low, high] = a <= b ? [a, b] : [b, a];
          const [worse, better] = indicator.direction === 'higher' ? [low, high] : [high, low];

          // Act
          const s1 = statusRank(status(indicator, m, worse));
          const s2 = statusRank(status(indicator, m, better));

          // Assess
          expect(s2).toBeGreaterThanOrEqual(s1);
        }),
        propertyRuns('progress: more progress', 100, 20230101),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'a later milestone stage never gives a worse status',
    () => {
      const stages = ['未开工', '开工', '主体完成', '建成通车'];
      fc.assert(
        fc.property(month, fc.nat(3), fc.nat(3), (m, i, j) => {
          // Prepare
          const [lo, hi] = i <= j ? [i, j] : [j, i];

          // Act / Assess
          expect(statusRank(status(milestone(), m, stages[hi]))).toBeGreaterThanOrEqual(
            statusRank(status(milestone(), m, stages[lo])),
          );
        }),
        propertyRuns('progress: later stage', 100, 20230102),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'the same cumulative total later in the year is never judged better',
    () => {
      fc.assert(
        fc.property(month, month, figure, fc.integer({ min: 1, max: 2000 }), (a, b, value, target) => {
          // Prepare
          const [early, late] = a <= b ? [a, b] : [b, a];
          const indicator = numeric({ target });

          // Act / Assess
          expect(statusRank(status(indicator, late, value))).toBeLessThanOrEqual(
            statusRank(status(indicator, early, value)),
          );
        }),
        propertyRuns('progress: same total later', 100, 20230103),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
