import { NOT_STARTED_TASK } from '../catalog/catalog-constants.ts';
import {
  type Catalog,
  type CumulativeIndicator,
  type DeadlineIndicator,
  type Indicator,
  type IndicatorValue,
  type MilestoneIndicator,
  NOT_STARTED_STAGE,
  type NumericIndicator,
  type QualitativeIndicator,
  type RateIndicator,
  type StockIndicator,
} from '../catalog/catalog-schema.ts';
import { DubanError } from '../errors.ts';
import { between, type Random, seededRandom } from './seeded-random.ts';

/**
 * Monthly figures a department would plausibly have reported during the year, ending in
 * December exactly at the figure the work report states. Each indicator gets its own
 * random stream (seed + code), so adding an indicator never changes the others' figures.
 * Index 0 is January; every value is what the department types into 本期值 for that month
 * (YTD total, period-end level, YTD rate, position, or stage).
 */
export type Trajectory = readonly IndicatorValue[];

export class TrajectoryError extends DubanError {
  override readonly name: string = 'TrajectoryError';
}

/**
 * Weights of each month's share of a year's activity when the catalog gives no profile:
 * the Spring Festival depresses January and February, quarter ends and the year-end push
 * lift March, June, September and above all December.
 */
export const DEFAULT_SEASONALITY = [0.7, 0.6, 1.0, 0.9, 0.95, 1.15, 0.9, 0.9, 1.1, 0.95, 1.05, 1.5] as const;

/** Units people write with a decimal even for whole results (177.0亿元, 11.0万户, 64.0%). */
const FRACTIONAL_UNITS = new Set(['亿元', '万元', '万人次', '万户', '%']);

/** A rate starts the year at most this many points away from where it ends. */
const RATE_SWING_MAX = 8;
const RATE_SWING_MIN = 0.5;

function decimalsOf(value: number): number {
  const text = String(value);
  const dot = text.indexOf('.');
  return dot === -1 || text.includes('e') ? 0 : text.length - dot - 1;
}

/** Where the year ends: the result the report states, else (a catalog of targets only) the target. */
export function yearEnd(indicator: NumericIndicator | DeadlineIndicator): number {
  return indicator.reportedResult ?? indicator.target;
}

/** How many decimals a department writes for this indicator. */
export function reportingDecimals(indicator: NumericIndicator | DeadlineIndicator): number {
  if (indicator.kind === 'rank' || indicator.kind === 'deadline') return 0;
  const minimum = FRACTIONAL_UNITS.has(indicator.unit) ? 1 : 0;
  return Math.max(decimalsOf(yearEnd(indicator)), minimum);
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  // -0 would print as "0" but compare oddly in tests and JSON.
  return rounded === 0 ? 0 : rounded;
}

/** Cumulative shares of the year for months 1..12 (December exactly 1), from noisy weights. */
function cumulativeShares(weights: readonly number[], random: Random, noise: number): number[] {
  const noisy = weights.map((w) => w * between(random, 1 - noise, 1 + noise));
  const total = noisy.reduce((a, b) => a + b, 0);
  let running = 0;
  return noisy.map((w, i) => {
    running += w;
    return i === 11 ? 1 : running / total;
  });
}

function profileWeights(profile: readonly number[]): number[] {
  return profile.map((share, i) => share - (i === 0 ? 0 : (profile[i - 1] ?? 0)));
}

function cumulativeTrajectory(indicator: CumulativeIndicator, random: Random): number[] {
  const end = yearEnd(indicator);
  const weights = indicator.profile ? profileWeights(indicator.profile) : [...DEFAULT_SEASONALITY];
  const shares = cumulativeShares(weights, random, indicator.profile ? 0.1 : 0.15);
  const decimals = reportingDecimals(indicator);
  // Rounding is monotone, so a rising share never gives a falling total.
  return shares.map((share, i) => (i === 11 ? end : roundTo(end * share, decimals)));
}

function stockTrajectory(indicator: StockIndicator, random: Random): number[] {
  const end = yearEnd(indicator);
  const start = indicator.baseline;
  const weights = indicator.profile
    ? profileWeights(indicator.profile)
    : Array.from({ length: 12 }, () => between(random, 0.6, 1.4));
  const shares = cumulativeShares(weights, random, 0);
  const decimals = reportingDecimals(indicator);
  return shares.map((share, i) => (i === 11 ? end : roundTo(start + (end - start) * share, decimals)));
}

function rateBounds(indicator: NumericIndicator): { low: number; high: number } {
  const percent = indicator.unit === '%';
  const low = indicator.allowNegative ? (percent ? -100 : Number.NEGATIVE_INFINITY) : 0;
  const high = percent ? 100 : Number.POSITIVE_INFINITY;
  return { low, high };
}

/**
 * A year-to-date rate wanders early in the year (few months of data) and settles on its
 * year-end value: the swing shrinks linearly to nothing by December.
 */
function rateTrajectory(indicator: RateIndicator, random: Random): number[] {
  const end = yearEnd(indicator);
  // A seasonal rate follows its profile, offset by how far the year ends from the target.
  const anchor = (i: number) => (indicator.profile?.[i] ?? indicator.target) + (end - indicator.target);
  // A seasonal profile already carries the swing of the year; what is left is a little noise.
  const spread = indicator.profile ? 0.03 : 0.3;
  const { low, high } = rateBounds(indicator);
  // A share that ends at its ceiling (巡河率 100%) only ever dips a little below it.
  const room = Math.max(RATE_SWING_MIN, Math.min(high - end, end - low) || 1);
  const swing = Math.min(RATE_SWING_MAX, room, Math.max(RATE_SWING_MIN, Math.abs(end) * spread));
  const decimals = reportingDecimals(indicator);
  let walk = between(random, -1, 1);
  return Array.from({ length: 12 }, (_, i) => {
    if (i === 11) return end;
    if (i > 0) walk = Math.min(1, Math.max(-1, walk + between(random, -0.5, 0.5)));
    const value = anchor(i) + swing * walk * ((11 - i) / 11);
    return roundTo(Math.min(high, Math.max(low, value)), decimals);
  });
}

/** A city ranking moves by a place or two during the year and lands on the reported position. */
function rankTrajectory(indicator: NumericIndicator, random: Random): number[] {
  const end = yearEnd(indicator);
  return Array.from({ length: 12 }, (_, i) => {
    if (i === 11) return end;
    const drift = Math.round(between(random, -1, 2) * ((12 - i) / 12));
    return Math.max(1, end + drift);
  });
}

/**
 * A project reaches each stage up to the one the report names at its planned month or a
 * month late, never later than December, and never gets past the reported stage.
 */
function milestoneTrajectory(indicator: MilestoneIndicator, random: Random): string[] {
  const reported = indicator.reportedResult ?? indicator.stages.at(-1)?.stage;
  const last = indicator.stages.findIndex((s) => s.stage === reported);
  if (last === -1) {
    throw new TrajectoryError(
      `${indicator.code}: reportedResult "${indicator.reportedResult}" is not one of its stages (${indicator.stages.map((s) => s.stage).join(', ')})`,
    );
  }
  const reachedIn: number[] = [];
  for (let i = 0; i <= last; i++) {
    const planned = indicator.stages[i]?.plannedMonth ?? 12;
    const late = random() < 0.3 ? 1 : 0;
    reachedIn.push(Math.min(12, Math.max(planned + late, reachedIn[i - 1] ?? 1)));
  }
  return Array.from({ length: 12 }, (_, i) => {
    const month = i + 1;
    let stage = NOT_STARTED_STAGE;
    reachedIn.forEach((m, s) => {
      if (m <= month) stage = indicator.stages[s]?.stage ?? stage;
    });
    return stage;
  });
}

/**
 * A dated result arrives once, in one of the four months up to its due month (several
 * results one by one), and stays: the count a department reports never falls.
 */
function deadlineTrajectory(indicator: DeadlineIndicator, random: Random): number[] {
  const end = yearEnd(indicator);
  const arrivals = Array.from({ length: end }, () =>
    Math.max(1, indicator.dueMonth - Math.floor(between(random, 0, 4))),
  ).sort((a, b) => a - b);
  return Array.from({ length: 12 }, (_, i) => (i === 11 ? end : arrivals.filter((m) => m <= i + 1).length));
}

/** A task moves through its stages, spread over the months before its due month, ending where reported. */
function qualitativeTrajectory(indicator: QualitativeIndicator, random: Random): string[] {
  const reported = indicator.reportedResult ?? indicator.stages.at(-1);
  const last = reported === undefined ? -1 : indicator.stages.indexOf(reported);
  if (last === -1) {
    throw new TrajectoryError(
      `${indicator.code}: reportedResult "${String(reported)}" is not one of its stages (${indicator.stages.join(', ')})`,
    );
  }
  const reachedIn = indicator.stages
    .slice(0, last + 1)
    .map((_, i) =>
      Math.max(1, Math.round((indicator.dueMonth * (i + 1)) / (last + 1)) - (random() < 0.3 ? 1 : 0)),
    );
  for (let i = 1; i < reachedIn.length; i++)
    reachedIn[i] = Math.max(reachedIn[i] ?? 1, reachedIn[i - 1] ?? 1);
  return Array.from({ length: 12 }, (_, i) => {
    let stage = NOT_STARTED_TASK;
    reachedIn.forEach((m, s) => {
      if (m <= i + 1 || i === 11) stage = indicator.stages[s] ?? stage;
    });
    return stage;
  });
}

export function indicatorTrajectory(indicator: Indicator, seed: string): Trajectory {
  const random = seededRandom(`${seed}:${indicator.code}`);
  switch (indicator.kind) {
    case 'cumulative':
      return cumulativeTrajectory(indicator, random);
    case 'stock':
      return stockTrajectory(indicator, random);
    case 'rate':
      return rateTrajectory(indicator, random);
    case 'rank':
      return rankTrajectory(indicator, random);
    case 'milestone':
      return milestoneTrajectory(indicator, random);
    case 'deadline':
      return deadlineTrajectory(indicator, random);
    case 'qualitative':
      return qualitativeTrajectory(indicator, random);
  }
}

/** Trajectories of every indicator of the catalog, by code. */
export function catalogTrajectories(catalog: Catalog, seed: string): Map<string, Trajectory> {
  return new Map(catalog.indicators.map((i) => [i.code, indicatorTrajectory(i, seed)]));
}
