import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFile, seedCatalogPath } from '../../../functions/adapters/catalog-files.ts';
import {
  type Catalog,
  catalogSchema,
  type MilestoneIndicator,
  NOT_STARTED_STAGE,
  type NumericIndicator,
} from '../../../functions/core/catalog/catalog-schema.ts';
import {
  catalogTrajectories,
  indicatorTrajectory,
  reportingDecimals,
  TrajectoryError,
} from '../../../functions/core/demo/trajectory.ts';
import { targetDisplay } from '../../../functions/core/ingest/template-contract.ts';
import { assessCatalog } from '../../support/assess-catalog.ts';

let seed: Catalog;
beforeAll(async () => {
  seed = await loadCatalogFile(seedCatalogPath(2023));
});

const numeric = (c: Catalog) => c.indicators.filter((i): i is NumericIndicator => i.kind !== 'milestone');
const milestones = (c: Catalog) =>
  c.indicators.filter((i): i is MilestoneIndicator => i.kind === 'milestone');

function decimalsOf(n: number): number {
  const text = String(n);
  return text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
}

describe('indicator trajectories of the seed catalog', () => {
  it('end in December exactly at the figure the report states (the target where it states none)', () => {
    // Act
    const trajectories = catalogTrajectories(seed, 'duban-demo-2023');

    // Assess
    for (const indicator of seed.indicators) {
      const trajectory = trajectories.get(indicator.code);
      expect(trajectory, indicator.code).toHaveLength(12);
      expect(trajectory?.[11], indicator.code).toBe(indicator.reportedResult ?? targetDisplay(indicator));
    }
  });

  it('are the same for the same seed and differ for another seed', () => {
    // Act
    const first = catalogTrajectories(seed, 'a');
    const again = catalogTrajectories(seed, 'a');
    const other = catalogTrajectories(seed, 'b');

    // Assess
    expect([...again]).toEqual([...first]);
    expect(first.get('ECO-GDP')?.slice(0, 11)).not.toEqual(other.get('ECO-GDP')?.slice(0, 11));
  });

  it('never let a year-to-date total fall, and write as many decimals as a department would', () => {
    // Act
    const trajectories = catalogTrajectories(seed, 'duban-demo-2023');

    // Assess
    for (const indicator of numeric(seed)) {
      const values = (trajectories.get(indicator.code) ?? []).map(Number);
      for (const v of values)
        expect(decimalsOf(v), `${indicator.code} ${v}`).toBeLessThanOrEqual(reportingDecimals(indicator));
      if (
        indicator.kind === 'cumulative' ||
        (indicator.kind === 'stock' && indicator.direction === 'higher')
      ) {
        for (let m = 1; m < 12; m++) {
          expect(values[m], `${indicator.code} month ${m + 1}`).toBeGreaterThanOrEqual(values[m - 1] ?? 0);
        }
      }
    }
  });

  it('keep percentages within 0–100, rates within 20 points month to month, ranks whole and ≥ 1', () => {
    // Act
    const trajectories = catalogTrajectories(seed, 'duban-demo-2023');

    // Assess
    for (const indicator of numeric(seed)) {
      const values = (trajectories.get(indicator.code) ?? []).map(Number);
      if (indicator.unit === '%') {
        for (const v of values) expect(v >= 0 && v <= 100, `${indicator.code} ${v}`).toBe(true);
      }
      if (indicator.kind === 'rate') {
        for (let m = 1; m < 12; m++) {
          expect(Math.abs((values[m] ?? 0) - (values[m - 1] ?? 0))).toBeLessThanOrEqual(20);
        }
      }
      if (indicator.kind === 'rank') {
        for (const v of values) expect(Number.isInteger(v) && v >= 1, `${indicator.code} ${v}`).toBe(true);
      }
    }
  });

  it('show the Spring Festival dip and the year-end push in a total without its own profile', () => {
    // Prepare
    const gdp = numeric(seed).find((i) => i.code === 'ECO-GDP');
    if (!gdp) throw new Error('seed catalog lacks ECO-GDP');

    // Act
    const values = indicatorTrajectory(gdp, 'duban-demo-2023').map(Number);

    // Assess
    const february = (values[1] ?? 0) - (values[0] ?? 0);
    const december = (values[11] ?? 0) - (values[10] ?? 0);
    const average = (gdp.reportedResult ?? Number.NaN) / 12;
    expect(february).toBeLessThan(average);
    expect(december).toBeGreaterThan(average);
  });

  it('move projects forward through their stages, at most a month late, up to the stage the report names', () => {
    // Act
    const trajectories = catalogTrajectories(seed, 'duban-demo-2023');

    // Assess
    for (const indicator of milestones(seed)) {
      const names = [NOT_STARTED_STAGE, ...indicator.stages.map((s) => s.stage)];
      const positions = (trajectories.get(indicator.code) ?? []).map((v) => names.indexOf(String(v)));
      const finalPosition = names.indexOf(indicator.reportedResult ?? String(targetDisplay(indicator)));
      for (let m = 0; m < 12; m++) {
        expect(positions[m], `${indicator.code} month ${m + 1}`).toBeGreaterThanOrEqual(
          m === 0 ? 0 : (positions[m - 1] ?? 0),
        );
        expect(positions[m]).toBeLessThanOrEqual(finalPosition);
      }
      indicator.stages.forEach((stage, s) => {
        if (s + 1 > finalPosition) return;
        const dueBy = Math.min(12, stage.plannedMonth + 1);
        expect(positions[dueBy - 1], `${indicator.code} ${stage.stage}`).toBeGreaterThanOrEqual(s + 1);
      });
    }
  });

  it('are values the progress engine accepts in every month', () => {
    // Prepare
    const trajectories = catalogTrajectories(seed, 'duban-demo-2023');

    // Act / Assess
    for (let month = 1; month <= 12; month++) {
      const values = new Map([...trajectories].map(([code, t]) => [code, t[month - 1] ?? 0]));
      const assessed = assessCatalog(seed, month, values);
      expect(assessed.every((p) => p.status !== '未报送')).toBe(true);
    }
  });
});

describe('indicator trajectories of other catalogs', () => {
  const base = {
    year: 2023,
    district: '测试区',
    title: 't',
    sourceDocument: 't',
    departments: [{ id: 'fgw', name: '发改委', shortName: '发改委' }],
  };
  const indicator = {
    name: 'x',
    section: '经济结构',
    dept: 'fgw',
    source: 's',
    targetBasis: 'assumed',
  };

  it('start a stock near its baseline and end on the reported result, rising or falling', () => {
    // Prepare
    const catalog = catalogSchema.parse({
      ...base,
      indicators: [
        {
          ...indicator,
          code: 'A-UP',
          kind: 'stock',
          unit: '个',
          direction: 'higher',
          target: 100,
          baseline: 80,
          reportedResult: 120,
        },
        {
          ...indicator,
          code: 'A-DOWN',
          kind: 'stock',
          unit: '个',
          direction: 'lower',
          target: 50,
          baseline: 60,
          reportedResult: 40,
        },
      ],
    });

    // Act
    const trajectories = catalogTrajectories(catalog, 's');

    // Assess
    expect(Number(trajectories.get('A-UP')?.[0])).toBeLessThan(120);
    expect(Number(trajectories.get('A-UP')?.[0])).toBeGreaterThanOrEqual(80);
    expect(Number(trajectories.get('A-DOWN')?.[0])).toBeGreaterThan(40);
    expect(trajectories.get('A-DOWN')?.[11]).toBe(40);
  });

  it('bring a dated result by its due month and keep it; move a task through its stages', () => {
    // Prepare
    const catalog = catalogSchema.parse({
      ...base,
      indicators: [
        {
          ...indicator,
          code: 'A-DUE',
          kind: 'deadline',
          unit: '家',
          target: 2,
          dueMonth: 9,
          reportedResult: 2,
        },
        { ...indicator, code: 'A-TASK', kind: 'qualitative', stages: ['准备', '迎检', '通过'], dueMonth: 10 },
      ],
    });

    // Act
    const trajectories = catalogTrajectories(catalog, 's');
    const due = (trajectories.get('A-DUE') ?? []).map(Number);
    const task = trajectories.get('A-TASK') ?? [];

    // Assess
    expect(due[8]).toBe(2);
    expect(due.every((v, i) => i === 0 || v >= (due[i - 1] ?? 0))).toBe(true);
    expect(due[0]).toBeLessThan(2);
    expect(task[9]).toBe('通过');
    expect(task[0]).not.toBe('通过');
  });

  it('end a catalog of targets without reported results at the targets', () => {
    // Prepare
    const catalog = catalogSchema.parse({
      ...base,
      indicators: [
        { ...indicator, code: 'A-NEXT', kind: 'cumulative', unit: '个', direction: 'higher', target: 30 },
      ],
    });

    // Act / Assess
    expect(catalogTrajectories(catalog, 's').get('A-NEXT')?.[11]).toBe(30);
  });

  it('keep a rate that may be negative within ±100 and end on it', () => {
    // Prepare
    const catalog = catalogSchema.parse({
      ...base,
      indicators: [
        {
          ...indicator,
          code: 'A-RATE',
          kind: 'rate',
          unit: '%',
          direction: 'higher',
          target: 5,
          reportedResult: -3.5,
          allowNegative: true,
        },
      ],
    });

    // Act
    const values = catalogTrajectories(catalog, 's').get('A-RATE') ?? [];

    // Assess
    expect(values[11]).toBe(-3.5);
    for (const v of values.map(Number)) expect(Math.abs(v)).toBeLessThanOrEqual(100);
  });

  it('refuse a milestone whose reported stage is not one of its stages, naming it', () => {
    // Prepare
    const catalog = catalogSchema.parse({
      ...base,
      indicators: [
        {
          ...indicator,
          code: 'A-PROJECT',
          kind: 'milestone',
          stages: [{ stage: '开工', plannedMonth: 3 }],
          reportedResult: '建成',
        },
      ],
    });
    const project = catalog.indicators[0];
    if (!project) throw new Error('no indicator');

    // Act / Assess
    expect(() => indicatorTrajectory(project, 's')).toThrow(TrajectoryError);
    expect(() => indicatorTrajectory(project, 's')).toThrow(/A-PROJECT.*建成/);
  });
});
