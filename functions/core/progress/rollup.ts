import { Decimal } from 'decimal.js';
import { NOT_JUDGED, ON_SCHEDULE, STATUSES, type Status } from '../catalog/catalog-constants.ts';
import { sectionsOf } from '../catalog/catalog-lookup.ts';
import type { Catalog } from '../catalog/catalog-schema.ts';
import { type IndicatorProgress, ProgressInputError } from './progress-engine.ts';

/**
 * Roll-ups of indicator statuses per section (the report's headings) and per department
 * (牵头单位), and the department ranking. The ranking says what it does: departments are
 * ordered by the share of their judged indicators that are on schedule (已完成, 超进度,
 * 达进度), as printed (one decimal); equal printed shares share a place and are marked tied,
 * and within a tie departments are listed by name. 未报送 counts as judged and not on
 * schedule (not reporting never pays); 未到期 and 本期不判定 are left out of the share.
 */

export type StatusCounts = Record<Status, number>;

export interface GroupRollup {
  readonly counts: StatusCounts;
  /** Every indicator of the group. */
  readonly total: number;
  /** Indicators judged this period: total minus 未到期 and 本期不判定 (未报送 is judged). */
  readonly judged: number;
  /** Judged indicators on schedule (已完成, 超进度, 达进度). */
  readonly onSchedule: number;
  /** onSchedule / judged, rounded half-up to one decimal of a percent (the printed figure); null when none is judged. */
  readonly sharePercent: number | null;
}

export interface SectionRollup extends GroupRollup {
  readonly section: string;
}

export interface DepartmentRollup extends GroupRollup {
  readonly dept: string;
  readonly name: string;
  readonly shortName: string;
  /** 1 = best; equal printed shares share a place (1, 1, 3). Null when nothing of it is judged. */
  readonly rank: number | null;
  /** True when another department shares this place. */
  readonly tied: boolean;
}

export interface Rollup {
  readonly overall: GroupRollup;
  /** In the order of the catalog's headings; sections without indicators are left out. */
  readonly sections: SectionRollup[];
  /** Ranked: best first (ties by name), then departments with nothing judged, in catalog order. */
  readonly departments: DepartmentRollup[];
}

export function emptyCounts(): StatusCounts {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as StatusCounts;
}

/** One decimal of a percent, half-up: the figure the bulletin prints and ranks by. */
export function printedSharePercent(onSchedule: number, judged: number): number | null {
  if (judged === 0) return null;
  return new Decimal(onSchedule).times(100).div(judged).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber();
}

export function summarise(statuses: readonly Status[]): GroupRollup {
  const counts = emptyCounts();
  for (const s of statuses) counts[s] += 1;
  const judged = statuses.filter((s) => !NOT_JUDGED.has(s)).length;
  const onSchedule = statuses.filter((s) => ON_SCHEDULE.has(s)).length;
  return {
    counts,
    total: statuses.length,
    judged,
    onSchedule,
    sharePercent: printedSharePercent(onSchedule, judged),
  };
}

/** Chinese names sort by their pinyin, as a reader of a Chinese list expects. */
const byName = new Intl.Collator('zh-Hans-CN').compare;

export function rollUp(catalog: Catalog, progress: readonly IndicatorProgress[]): Rollup {
  const sectionOf = new Map(catalog.indicators.map((i) => [i.code, i.section]));
  const bySection = new Map<string, Status[]>();
  const byDept = new Map<string, Status[]>();
  for (const item of progress) {
    const section = sectionOf.get(item.code);
    if (!section)
      throw new ProgressInputError(`indicator ${item.code} is not in the ${catalog.year} catalog`);
    bySection.set(section, [...(bySection.get(section) ?? []), item.status]);
    byDept.set(item.dept, [...(byDept.get(item.dept) ?? []), item.status]);
  }

  const sections: SectionRollup[] = [];
  for (const section of sectionsOf(catalog)) {
    const items = bySection.get(section);
    if (items) sections.push({ section, ...summarise(items) });
  }

  const all = catalog.departments.map((d) => ({
    dept: d.id,
    name: d.name,
    shortName: d.shortName,
    ...summarise(byDept.get(d.id) ?? []),
  }));
  const ranked = all
    .filter((d) => d.sharePercent !== null)
    .sort((a, b) => (b.sharePercent ?? 0) - (a.sharePercent ?? 0) || byName(a.shortName, b.shortName));
  const departments: DepartmentRollup[] = ranked.map((d, i) => {
    const place = ranked.findIndex((o) => o.sharePercent === d.sharePercent) + 1;
    const tied = ranked.some((o, j) => j !== i && o.sharePercent === d.sharePercent);
    return { ...d, rank: place, tied };
  });
  for (const d of all) if (d.sharePercent === null) departments.push({ ...d, rank: null, tied: false });

  return { overall: summarise(progress.map((p) => p.status)), sections, departments };
}

/** How a department's place moved since last month: up or down by places, new, or unchanged. */
export type RankChange =
  | { readonly kind: 'up' | 'down'; readonly places: number }
  | { readonly kind: 'new' }
  | { readonly kind: 'same' }
  | { readonly kind: 'unranked' };

export interface DepartmentMove {
  readonly dept: string;
  readonly shareBefore: number | null;
  readonly shareAfter: number | null;
  readonly rankBefore: number | null;
  readonly rankAfter: number | null;
  readonly change: RankChange;
}

/** Share and place change of every department between two roll-ups (previous may be absent). */
export function departmentMoves(current: Rollup, previous: Rollup | undefined): DepartmentMove[] {
  const before = new Map((previous?.departments ?? []).map((d) => [d.dept, d]));
  return current.departments.map((d) => {
    const then = before.get(d.dept);
    const rankBefore = then?.rank ?? null;
    let change: RankChange;
    if (d.rank === null) change = { kind: 'unranked' };
    else if (rankBefore === null) change = { kind: 'new' };
    else if (rankBefore === d.rank) change = { kind: 'same' };
    else change = { kind: d.rank < rankBefore ? 'up' : 'down', places: Math.abs(d.rank - rankBefore) };
    return {
      dept: d.dept,
      shareBefore: then?.sharePercent ?? null,
      shareAfter: d.sharePercent,
      rankBefore,
      rankAfter: d.rank,
      change,
    };
  });
}

/** "↑2", "↓1", "新", "—" (same place), "" (not ranked). */
export function rankChangeText(change: RankChange): string {
  switch (change.kind) {
    case 'up':
      return `↑${change.places}`;
    case 'down':
      return `↓${change.places}`;
    case 'new':
      return '新';
    case 'same':
      return '—';
    case 'unranked':
      return '';
  }
}
