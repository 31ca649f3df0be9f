import { Decimal } from 'decimal.js';
import {
  type IndicatorKind,
  type IndicatorValue,
  NOT_STARTED_STAGE,
  type Status,
} from '../catalog/catalog-constants.ts';
import type {
  Indicator,
  MilestoneIndicator,
  NumericIndicator,
  StatusBands,
} from '../catalog/catalog-schema.ts';
import { DubanError } from '../errors.ts';

/**
 * 序时进度: how far along an indicator is against the share of its annual target expected
 * by month N, and the status that follows. Pure; the rules are documented, with their
 * reasons, in docs/progress-rules.md.
 */

const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/** Defaults of the optional bands (the required ones have zod defaults in catalog-schema). */
export const DEFAULT_RANK_SERIOUSLY_BEHIND_PLACES = 2;
export const DEFAULT_MILESTONE_SERIOUSLY_BEHIND_STAGES = 2;

/** Statuses from worst to best; 未报送 is outside the scale (there is nothing to judge). */
export const STATUS_ORDER: readonly Status[] = ['严重滞后', '欠进度', '达进度', '超进度', '已完成'];

/** Position of a status on the scale (higher is better); -1 for 未报送. */
export function statusRank(status: Status): number {
  return STATUS_ORDER.indexOf(status);
}

export interface IndicatorProgress {
  readonly code: string;
  readonly kind: IndicatorKind;
  /** 牵头单位. */
  readonly dept: string;
  readonly unit: string;
  /** The reported value; null when not reported (未报送). */
  readonly value: IndicatorValue | null;
  /** Annual target: a number, or the final stage of a milestone. */
  readonly target: number | string;
  /** value / target; for milestones stages reached / stages. Null when undefined (no value, zero target, ranks). */
  readonly completionRate: number | null;
  /** 序时进度 as a share of the target; null for rates and ranks (their target applies all year). */
  readonly expectedShare: number | null;
  /** What the schedule asks for by this month, in the indicator's unit (cumulative and level only). */
  readonly expectedValue: number | null;
  /** Signed gap in percentage points, positive = ahead (direction already applied). */
  readonly gapPoints: number | null;
  /** Ranks: places ahead (+) or behind (−) the target; milestones: stages ahead or behind plan. */
  readonly gapSteps?: number;
  readonly status: Status;
  readonly stageReached?: string;
  readonly stagePlanned?: string;
}

export interface Observation {
  /** Month of the catalog year, 1–12. */
  readonly month: number;
  readonly value: IndicatorValue | undefined;
}

/** A value of the wrong type for the indicator's kind (ingest should have rejected it). */
export class ProgressInputError extends DubanError {
  override readonly name: string = 'ProgressInputError';
}

function checkMonth(month: number): void {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new ProgressInputError(`month must be an integer 1–12, got ${month}`);
  }
}

/** Cumulative share of the annual amount expected by the end of `month`: the profile or N/12. */
function scheduleShare(indicator: NumericIndicator, month: number): Decimal {
  const fromProfile = indicator.kind === 'cumulative' ? indicator.profile?.[month - 1] : undefined;
  return fromProfile !== undefined ? new Exact(fromProfile) : new Exact(month).div(12);
}

/** Where a cumulative or level indicator should stand by `month`, in its unit. */
function expectedValueOf(indicator: NumericIndicator, month: number): Decimal {
  const start = new Exact(indicator.kind === 'level' ? (indicator.baseline ?? 0) : 0);
  return start.plus(new Exact(indicator.target).minus(start).times(scheduleShare(indicator, month)));
}

/** Index of the stage planned by `month` (−1 when none is due yet). */
function plannedStageIndex(indicator: MilestoneIndicator, month: number): number {
  let planned = -1;
  indicator.stages.forEach((s, i) => {
    if (s.plannedMonth <= month) planned = i;
  });
  return planned;
}

/**
 * 序时进度 of an indicator at the end of `month`, as a share of its annual target:
 * cumulative → profile or N/12; level → (baseline + (target − baseline)·N/12) / target;
 * milestone → stages planned by then / stages. Null for rates and ranks (the target applies
 * from January) and for a zero target.
 */
export function expectedShare(indicator: Indicator, month: number): number | null {
  checkMonth(month);
  switch (indicator.kind) {
    case 'cumulative':
      return scheduleShare(indicator, month).toNumber();
    case 'level':
      if (indicator.target === 0) return null;
      return expectedValueOf(indicator, month).div(indicator.target).toNumber();
    case 'milestone':
      return (plannedStageIndex(indicator, month) + 1) / indicator.stages.length;
    default:
      return null;
  }
}

/** Status from a signed gap in points, decided on the gap as printed (one decimal, half-up). */
function statusFromPoints(gap: Decimal, bands: StatusBands): Status {
  const printed = gap.toDecimalPlaces(1, Decimal.ROUND_HALF_UP);
  if (printed.gte(bands.aheadPoints)) return '超进度';
  if (printed.gte(0)) return '达进度';
  if (printed.neg().lte(bands.seriouslyBehindPoints)) return '欠进度';
  return '严重滞后';
}

/** Status from whole steps (rank places, milestone stages), positive = ahead. */
function statusFromSteps(steps: number, seriouslyBehindAt: number): Status {
  if (steps > 0) return '超进度';
  if (steps === 0) return '达进度';
  return -steps >= seriouslyBehindAt ? '严重滞后' : '欠进度';
}

export function assessIndicator(
  indicator: Indicator,
  observation: Observation,
  bands: StatusBands,
): IndicatorProgress {
  checkMonth(observation.month);
  if (indicator.kind === 'milestone') return assessMilestone(indicator, observation, bands);
  const { value, month } = observation;
  const base = { code: indicator.code, kind: indicator.kind, dept: indicator.dept, unit: indicator.unit };
  const target = indicator.target;
  const share = expectedShare(indicator, month);
  if (value === undefined) {
    const expected = indicator.kind === 'cumulative' || indicator.kind === 'level';
    return {
      ...base,
      value: null,
      target,
      completionRate: null,
      expectedShare: share,
      expectedValue: expected ? expectedValueOf(indicator, month).toNumber() : null,
      gapPoints: null,
      status: '未报送',
    };
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ProgressInputError(`${indicator.code}: expected a number, got ${JSON.stringify(value)}`);
  }
  const direction = indicator.direction === 'higher' ? 1 : -1;
  const meets = direction * (value - target) >= 0;
  const isDecember = month === 12;

  if (indicator.kind === 'rank') {
    const steps = target - value;
    // More than `rankSeriouslyBehindPlaces` places behind is 严重滞后.
    const tolerated = bands.rankSeriouslyBehindPlaces ?? DEFAULT_RANK_SERIOUSLY_BEHIND_PLACES;
    return {
      ...base,
      value,
      target,
      completionRate: null,
      expectedShare: null,
      expectedValue: null,
      gapPoints: null,
      gapSteps: steps,
      status: isDecember && meets ? '已完成' : statusFromSteps(steps, tolerated + 1),
    };
  }

  if (indicator.kind === 'rate') {
    // A rate is compared with its target directly: the gap is in percentage points of the rate.
    const gap = new Exact(value).minus(target).times(direction);
    return {
      ...base,
      value,
      target,
      completionRate: target > 0 && value >= 0 ? new Exact(value).div(target).toNumber() : null,
      expectedShare: null,
      expectedValue: null,
      gapPoints: gap.toNumber(),
      status: isDecember && meets ? '已完成' : statusFromPoints(gap, bands),
    };
  }

  // cumulative and level
  const expected = expectedValueOf(indicator, month);
  const start = indicator.kind === 'level' ? (indicator.baseline ?? 0) : 0;
  const scale = target !== 0 ? Math.abs(target) : Math.abs(start);
  const ahead = new Exact(value).minus(expected).times(direction);
  const gap = scale === 0 ? null : ahead.div(scale).times(100);
  // Reaching a higher-is-better target finishes it; a ceiling can only be judged finished in December.
  const finished = meets && (direction === 1 || isDecember);
  let status: Status;
  if (finished) status = '已完成';
  else if (gap) status = statusFromPoints(gap, bands);
  else status = ahead.gte(0) ? '达进度' : '严重滞后';
  return {
    ...base,
    value,
    target,
    completionRate: target !== 0 ? new Exact(value).div(target).toNumber() : null,
    expectedShare: share,
    expectedValue: expected.toNumber(),
    gapPoints: gap ? gap.toNumber() : null,
    status,
  };
}

function assessMilestone(
  indicator: MilestoneIndicator,
  { month, value }: Observation,
  bands: StatusBands,
): IndicatorProgress {
  const stages = indicator.stages;
  const last = stages[stages.length - 1];
  const plannedIndex = plannedStageIndex(indicator, month);
  const n = stages.length;
  const base = {
    code: indicator.code,
    kind: indicator.kind,
    dept: indicator.dept,
    unit: indicator.unit,
    target: last?.stage ?? '',
    expectedShare: (plannedIndex + 1) / n,
    expectedValue: null,
    stagePlanned: stages[plannedIndex]?.stage ?? NOT_STARTED_STAGE,
  };
  if (value === undefined) {
    return { ...base, value: null, completionRate: null, gapPoints: null, status: '未报送' };
  }
  const reachedIndex = value === NOT_STARTED_STAGE ? -1 : stages.findIndex((s) => s.stage === value);
  if (typeof value !== 'string' || (reachedIndex === -1 && value !== NOT_STARTED_STAGE)) {
    throw new ProgressInputError(
      `${indicator.code}: expected one of ${[NOT_STARTED_STAGE, ...stages.map((s) => s.stage)].join('|')}, got ${JSON.stringify(value)}`,
    );
  }
  const steps = reachedIndex - plannedIndex;
  const seriously = bands.milestoneSeriouslyBehindStages ?? DEFAULT_MILESTONE_SERIOUSLY_BEHIND_STAGES;
  return {
    ...base,
    value,
    completionRate: (reachedIndex + 1) / n,
    gapPoints: new Exact(steps).times(100).div(n).toNumber(),
    gapSteps: steps,
    status: reachedIndex === n - 1 ? '已完成' : statusFromSteps(steps, seriously),
    stageReached: value,
  };
}
