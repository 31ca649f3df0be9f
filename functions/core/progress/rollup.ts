import { Decimal } from 'decimal.js';
import { SECTIONS, type Section, STATUSES, type Status } from '../catalog/catalog-constants.ts';
import type { Catalog } from '../catalog/catalog-schema.ts';
import { type IndicatorProgress, ProgressInputError } from './progress-engine.ts';

/**
 * Roll-ups of indicator statuses per section (the report's headings) and per department
 * (牵头单位), with a score and a department ranking.
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
