import { Decimal } from 'decimal.js';
import { SECTIONS, type Section, STATUSES, type Status } from '../catalog/catalog-constants.ts';
import type { Catalog } from '../catalog/catalog-schema.ts';
import { type IndicatorProgress, ProgressInputError, statusRank } from './progress-engine.ts';

/**
 * Roll-ups of indicator statuses per section (the report's headings) and per department
 * (牵头单位), with a score and a department ranking; and the month-over-month change.
 */

export type StatusCounts = Record<Status, number>;

/**
 * Points per status; a group's score is the mean over its indicators (0–100, one decimal).
 * 已完成 and 超进度 earn full marks, 未报送 none: not reporting must never pay better than
 * reporting a bad figure.
 */
export const DEFAULT_STATUS_SCORES: Readonly<StatusCounts> = {
  已完成: 100,
  超进度: 100,
  达进度: 85,
  欠进度: 60,
  严重滞后: 30,
  未报送: 0,
};

export interface GroupRollup {
  readonly counts: StatusCounts;
  readonly total: number;
  /** Mean points, one decimal (half-up); null for a group without indicators. */
  readonly score: number | null;
}

export interface SectionRollup extends GroupRollup {
  readonly section: Section;
}

export interface DepartmentRollup extends GroupRollup {
  readonly dept: string;
  readonly name: string;
  readonly shortName: string;
  /** 1 = best; equal scores share a rank (1, 1, 3). Null for a department without indicators. */
  readonly rank: number | null;
}

export interface Rollup {
  readonly overall: GroupRollup;
  /** In the order of the report's headings; sections without indicators are left out. */
  readonly sections: SectionRollup[];
  /** Ranked: best first, then departments without indicators in catalog order. */
  readonly departments: DepartmentRollup[];
}

export function emptyCounts(): StatusCounts {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as StatusCounts;
}

function summarise(items: readonly IndicatorProgress[], scores: Readonly<StatusCounts>): GroupRollup {
  const counts = emptyCounts();
  let points = new Decimal(0);
  for (const item of items) {
    counts[item.status] += 1;
    points = points.plus(scores[item.status]);
  }
  const score =
    items.length === 0 ? null : points.div(items.length).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber();
  return { counts, total: items.length, score };
}

export function rollUp(
  catalog: Catalog,
  progress: readonly IndicatorProgress[],
  scores: Readonly<StatusCounts> = DEFAULT_STATUS_SCORES,
): Rollup {
  const sectionOf = new Map(catalog.indicators.map((i) => [i.code, i.section]));
  const bySection = new Map<Section, IndicatorProgress[]>();
  const byDept = new Map<string, IndicatorProgress[]>();
  for (const item of progress) {
    const section = sectionOf.get(item.code);
    if (!section)
      throw new ProgressInputError(`indicator ${item.code} is not in the ${catalog.year} catalog`);
    bySection.set(section, [...(bySection.get(section) ?? []), item]);
    byDept.set(item.dept, [...(byDept.get(item.dept) ?? []), item]);
  }

  const sections: SectionRollup[] = [];
  for (const section of SECTIONS) {
    const items = bySection.get(section);
    if (items) sections.push({ section, ...summarise(items, scores) });
  }

  const unranked = catalog.departments.map((d, order) => ({
    order,
    dept: d.id,
    name: d.name,
    shortName: d.shortName,
    ...summarise(byDept.get(d.id) ?? [], scores),
  }));
  const ranked = unranked
    .filter((d) => d.score !== null)
    .sort(
      (a, b) => (b.score ?? 0) - (a.score ?? 0) || a.counts.未报送 - b.counts.未报送 || a.order - b.order,
    );
  const departments: DepartmentRollup[] = [];
  ranked.forEach((d, i) => {
    const previous = departments[i - 1];
    const rank = previous && previous.score === d.score ? previous.rank : i + 1;
    departments.push({ ...withoutOrder(d), rank });
  });
  for (const d of unranked) if (d.score === null) departments.push({ ...withoutOrder(d), rank: null });

  return { overall: summarise(progress, scores), sections, departments };
}

function withoutOrder<T extends { order: number }>(d: T): Omit<T, 'order'> {
  const { order: _order, ...rest } = d;
  return rest;
}

export type Movement = 'improved' | 'worsened' | 'unchanged' | 'new';

export interface IndicatorChange {
  readonly code: string;
  readonly statusBefore: Status | null;
  readonly statusAfter: Status;
  readonly movement: Movement;
  /** Change of the completion rate in percentage points; null when either month has none. */
  readonly completionPointsDelta: number | null;
  /** Change of the schedule gap in percentage points; null when either month has none. */
  readonly gapPointsDelta: number | null;
}

export interface MonthOverMonth {
  readonly indicators: IndicatorChange[];
  readonly improved: number;
  readonly worsened: number;
  readonly unchanged: number;
}

function delta(after: number | null, before: number | null | undefined, factor: number): number | null {
  if (after === null || before === null || before === undefined) return null;
  return new Decimal(after).minus(before).times(factor).toNumber();
}

/**
 * Status movement of each indicator against the previous month, on the scale
 * 未报送 < 严重滞后 < 欠进度 < 达进度 < 超进度 < 已完成. Indicators absent last month are 'new'.
 */
export function monthOverMonth(
  current: readonly IndicatorProgress[],
  previous: readonly IndicatorProgress[] | undefined,
): MonthOverMonth {
  const before = new Map((previous ?? []).map((p) => [p.code, p]));
  const indicators = current.map((now): IndicatorChange => {
    const then = before.get(now.code);
    let movement: Movement = 'new';
    if (then) {
      const d = statusRank(now.status) - statusRank(then.status);
      movement = d > 0 ? 'improved' : d < 0 ? 'worsened' : 'unchanged';
    }
    return {
      code: now.code,
      statusBefore: then?.status ?? null,
      statusAfter: now.status,
      movement,
      completionPointsDelta: delta(now.completionRate, then?.completionRate, 100),
      gapPointsDelta: delta(now.gapPoints, then?.gapPoints, 1),
    };
  });
  const count = (m: Movement) => indicators.filter((i) => i.movement === m).length;
  return {
    indicators,
    improved: count('improved'),
    worsened: count('worsened'),
    unchanged: count('unchanged'),
  };
}

export interface DepartmentMove {
  readonly dept: string;
  readonly scoreBefore: number | null;
  readonly scoreAfter: number | null;
  readonly scoreDelta: number | null;
  readonly rankBefore: number | null;
  readonly rankAfter: number | null;
}

/** Score and rank change of every department between two roll-ups (previous may be absent). */
export function departmentMoves(current: Rollup, previous: Rollup | undefined): DepartmentMove[] {
  const before = new Map((previous?.departments ?? []).map((d) => [d.dept, d]));
  return current.departments.map((d) => {
    const then = before.get(d.dept);
    return {
      dept: d.dept,
      scoreBefore: then?.score ?? null,
      scoreAfter: d.score,
      scoreDelta: delta(d.score, then?.score, 1),
      rankBefore: then?.rank ?? null,
      rankAfter: d.rank,
    };
  });
}
