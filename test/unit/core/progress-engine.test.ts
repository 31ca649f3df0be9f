import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  Indicator,
  MilestoneIndicator,
  NumericIndicator,
  StatusBands,
} from '../../../functions/core/catalog/catalog-schema.ts';
import {
  assessIndicator,
  expectedShare,
  ProgressInputError,
  statusRank,
} from '../../../functions/core/progress/progress-engine.ts';
import { PROPERTY_TIMEOUT_MS, propertyRuns } from '../../support/property-runs.ts';
import { numericIndicatorData, ROAD_STAGES } from '../../support/sample-catalog.ts';

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

  it('runs linearly from the baseline for a level indicator', () => {
    // Prepare
    const fiveG = numeric({ kind: 'level', unit: '个', baseline: 420, target: 550 });

    // Assess
    expect(expectedShare(fiveG, 1)).toBeCloseTo((420 + 130 / 12) / 550, 12);
    expect(expectedShare(fiveG, 12)).toBe(1);
    expect(expectedShare(numeric({ kind: 'level', target: 0 }), 6)).toBeNull();
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

describe('level indicators', () => {
  it.each([
    [1, 431, '达进度'],
    [1, 470, '超进度'],
    [1, 400, '欠进度'],
    [1, 360, '严重滞后'],
    [12, 570, '已完成'],
    [12, 540, '欠进度'],
    [12, 480, '严重滞后'],
  ])('5G stations from 420 to 550: month %d, %d → %s', (month, value, expected) => {
    // Act / Assess
    expect(status(numeric({ kind: 'level', unit: '个', baseline: 420, target: 550 }), month, value)).toBe(
      expected,
    );
  });

  it('runs from zero without a baseline', () => {
    // Act
    const p = assessIndicator(numeric({ kind: 'level', target: 100 }), { month: 6, value: 50 }, bands);

    // Assess
    expect(p).toMatchObject({ expectedValue: 50, expectedShare: 0.5, status: '达进度' });
  });

  it('inverts for lower-is-better (a concentration falling from 50 to 40)', () => {
    // Prepare
    const pm25 = numeric({ kind: 'level', unit: '%', direction: 'lower', baseline: 50, target: 40 });

    // Assess
    expect(status(pm25, 6, 44)).toBe('达进度');
    expect(status(pm25, 6, 42)).toBe('超进度');
    expect(status(pm25, 6, 52)).toBe('严重滞后');
    expect(status(pm25, 1, 50)).toBe('欠进度');
    expect(status(pm25, 12, 40)).toBe('已完成');
  });
});

describe('rate indicators', () => {
  const growth = numeric({ kind: 'rate', unit: '%', target: 8 });

  it.each([
    [1, 8, '达进度'],
    [1, 13, '超进度'],
    [1, 5.8, '欠进度'],
    [1, -3, '严重滞后'],
    [12, 8, '已完成'],
    [12, 15.19, '已完成'],
    [12, 5.8, '欠进度'],
    [12, -2.5, '严重滞后'],
  ])('target 8%%: month %d, %d%% → %s', (month, value, expected) => {
    // Act / Assess
    expect(status(growth, month, value)).toBe(expected);
  });

  it('measures the gap in points of the rate itself', () => {
    // Act
    const p = assessIndicator(growth, { month: 12, value: 5.8 }, bands);

    // Assess
    expect(p.gapPoints).toBe(-2.2);
    expect(p.completionRate).toBe(0.725);
    expect(p.expectedShare).toBeNull();
  });

  it('handles zero and negative target rates and lower-is-better rates', () => {
    // Prepare
    const decline = numeric({ kind: 'rate', unit: '%', target: -2 });
    const unemployment = numeric({ kind: 'rate', unit: '%', direction: 'lower', target: 4 });

    // Assess
    expect(assessIndicator(decline, { month: 6, value: -1 }, bands)).toMatchObject({
      status: '达进度',
      completionRate: null,
      gapPoints: 1,
    });
    expect(status(decline, 6, -8)).toBe('欠进度');
    expect(status(numeric({ kind: 'rate', unit: '%', target: 0 }), 6, 0)).toBe('达进度');
    expect(status(unemployment, 6, 3.5)).toBe('达进度');
    expect(status(unemployment, 6, 4.5)).toBe('欠进度');
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

describe('properties', () => {
  const figure = fc.integer({ min: -2000, max: 2000 }).map((n) => n / 10);
  const month = fc.integer({ min: 1, max: 12 });
  const numericIndicator = fc
    .record({
      kind: fc.constantFrom('cumulative', 'level', 'rate', 'rank') as fc.Arbitrary<NumericIndicator['kind']>,
      direction: fc.constantFrom('higher', 'lower') as fc.Arbitrary<NumericIndicator['direction']>,
      target: figure,
      baseline: fc.option(figure, { nil: undefined }),
    })
    .map(({ kind, direction, target, baseline }) =>
      kind === 'rank'
        ? numeric({ kind, unit: '位', direction: 'lower', target: Math.max(1, Math.round(Math.abs(target))) })
        : numeric({ kind, direction, target, baseline }),
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
