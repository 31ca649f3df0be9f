import { Decimal } from 'decimal.js';
import {
  type IndicatorKind,
  type IndicatorValue,
  NOT_JUDGED,
  NOT_STARTED_STAGE,
  NOT_STARTED_TASK,
  type Status,
} from '../catalog/catalog-constants.ts';
import { frequencyOf, isFloorToHold, isJudgedIn } from '../catalog/catalog-lookup.ts';
import type {
  DeadlineIndicator,
  Indicator,
  MilestoneIndicator,
  NumericIndicator,
  QualitativeIndicator,
  RateIndicator,
  StatusBands,
} from '../catalog/catalog-schema.ts';
import { DubanError } from '../errors.ts';

/**
 * 序时进度: how far along an indicator is against what its schedule expects by month N, and
 * the status that follows. One rule per kind (cumulative, stock, rate, rank, milestone,
 * deadline, qualitative) and per frequency. Pure; the rules are documented, with their
 * reasons and a worked example each, in docs/progress-rules.md.
 */

const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/** Defaults of the optional bands (the required ones have zod defaults in catalog-schema). */
export const DEFAULT_RANK_SERIOUSLY_BEHIND_PLACES = 2;
export const DEFAULT_MILESTONE_SERIOUSLY_BEHIND_STAGES = 2;
export const DEFAULT_RATE_AHEAD_POINTS = 1;
export const DEFAULT_RATE_TOLERANCE_POINTS = 0.5;
export const DEFAULT_RATE_SERIOUSLY_BEHIND_POINTS = 2;

/** The bands a catalog states, with every optional one filled in. */
export function resolvedBands(bands: StatusBands): Required<StatusBands> {
  return {
    aheadPoints: bands.aheadPoints,
    seriouslyBehindPoints: bands.seriouslyBehindPoints,
    rateAheadPoints: bands.rateAheadPoints ?? DEFAULT_RATE_AHEAD_POINTS,
    rateTolerancePoints: bands.rateTolerancePoints ?? DEFAULT_RATE_TOLERANCE_POINTS,
    rateSeriouslyBehindPoints: bands.rateSeriouslyBehindPoints ?? DEFAULT_RATE_SERIOUSLY_BEHIND_POINTS,
    rankSeriouslyBehindPlaces: bands.rankSeriouslyBehindPlaces ?? DEFAULT_RANK_SERIOUSLY_BEHIND_PLACES,
    milestoneSeriouslyBehindStages:
      bands.milestoneSeriouslyBehindStages ?? DEFAULT_MILESTONE_SERIOUSLY_BEHIND_STAGES,
  };
}

/** Judged statuses from worst to best; 未报送 and the not-judged statuses are outside the scale. */
export const STATUS_ORDER: readonly Status[] = [
  '逾期未完成',
  '严重滞后',
  '欠进度',
  '达进度',
  '超进度',
  '已完成',
];

/** Position of a status on the scale (higher is better); -1 for 未报送 and the not-judged ones. */
export function statusRank(status: Status): number {
  return STATUS_ORDER.indexOf(status);
}

export interface IndicatorProgress {
  readonly code: string;
  readonly kind: IndicatorKind;
  /** 牵头单位. */
  readonly dept: string;
  readonly unit: string;
  /** The value reported for this month; null when not reported. */
  readonly value: IndicatorValue | null;
  /** Annual target: a number, or the final stage of a milestone or task. */
  readonly target: number | string;
  /**
   * Progress towards the target as a fraction: cumulative value / target; stock: increment
   * achieved / increment planned; milestone: stages reached / stages; deadline: results /
   * results due. Null for rates, ranks and tasks (a share of a rate means nothing), and when
   * there is no figure.
   */
  readonly completionRate: number | null;
  /** 序时进度 as a share (of the target; of the increment for stocks); null where no share applies. */
  readonly expectedShare: number | null;
  /** What the schedule asks for by this month, in the indicator's unit (amounts and rates). */
  readonly expectedValue: number | null;
  /**
   * Signed gap, positive = ahead (direction already applied): amounts in percentage points of
   * the target (stocks: of the planned increment), rates in points of the rate itself.
   */
  readonly gapPoints: number | null;
  /** Ranks: places ahead (+) or behind (−) the target; milestones: stages ahead or behind plan. */
  readonly gapSteps?: number;
  readonly status: Status;
  /** Set when the status is 未到期 or 本期不判定: why the indicator is not judged this month. */
  readonly notJudgedReason?: string;
  /** Milestones and tasks: the furthest stage reported so far this year (a reached stage stays reached). */
  readonly stageReached?: string;
  readonly stagePlanned?: string;
  /** Deadlines and tasks: the month by whose end the result is due. */
  readonly dueMonth?: number;
}

export interface Observation {
  /** Month of the catalog year, 1–12. */
  readonly month: number;
  readonly value: IndicatorValue | undefined;
  /**
   * Values reported in the earlier months of the year (index 0 = January). Milestones,
   * deadlines and tasks keep what they reached: a stage or an honour once reported stays.
   */
  readonly earlier?: readonly (IndicatorValue | undefined)[];
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

/** Cumulative share of the year's amount (or increment) expected by the end of `month`. */
function scheduleShare(indicator: NumericIndicator, month: number): Decimal {
  const profile =
    indicator.kind === 'cumulative' || indicator.kind === 'stock' ? indicator.profile : undefined;
  const fromProfile = profile?.[month - 1];
  return fromProfile !== undefined ? new Exact(fromProfile) : new Exact(month).div(12);
}

/** Where a cumulative or stock indicator should stand by `month`, in its unit. */
function expectedAmount(indicator: NumericIndicator, month: number): Decimal {
  const start = new Exact(indicator.kind === 'stock' ? indicator.baseline : 0);
  return start.plus(new Exact(indicator.target).minus(start).times(scheduleShare(indicator, month)));
}

/** The year-to-date rate a rate indicator should show by `month`: its profile, else the target. */
function expectedRate(indicator: RateIndicator, month: number): number {
  return indicator.profile?.[month - 1] ?? indicator.target;
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
 * 序时进度 of an indicator at the end of `month` as a share: cumulative → profile or N/12 of
 * the target; stock → the same share of the planned increment; milestone → stages planned
 * by then / stages. Null for rates, ranks, deadlines and tasks (nothing is shared out).
 */
export function expectedShare(indicator: Indicator, month: number): number | null {
  checkMonth(month);
  switch (indicator.kind) {
    case 'cumulative':
      return scheduleShare(indicator, month).toNumber();
    case 'stock':
      // A floor to hold (target = baseline) has no increment to share out: the page prints
      // the level to hold instead of a share of the year.
      return isFloorToHold(indicator) ? null : scheduleShare(indicator, month).toNumber();
    case 'milestone':
      return (plannedStageIndex(indicator, month) + 1) / indicator.stages.length;
    default:
      return null;
  }
}

/** What the schedule asks for by `month` in the indicator's unit (amounts, rates and ranks). */
export function expectedValue(indicator: Indicator, month: number): number | null {
  checkMonth(month);
  switch (indicator.kind) {
    case 'cumulative':
    case 'stock':
      return expectedAmount(indicator, month).toNumber();
    case 'rate':
      return expectedRate(indicator, month);
    case 'rank':
      return indicator.target;
    default:
      return null;
  }
}

/** Status from a signed gap in points, decided on the gap as printed (one decimal, half-up). */
function statusFromPoints(gap: Decimal, ahead: number, tolerance: number, seriouslyBehind: number): Status {
  const printed = gap.toDecimalPlaces(1, Decimal.ROUND_HALF_UP);
  if (printed.gte(ahead)) return '超进度';
  if (printed.neg().lte(tolerance)) return '达进度';
  if (printed.neg().lte(seriouslyBehind)) return '欠进度';
  return '严重滞后';
}

/** Status from whole steps (rank places, milestone stages), positive = ahead. */
function statusFromSteps(steps: number, seriouslyBehindAt: number): Status {
  if (steps > 0) return '超进度';
  if (steps === 0) return '达进度';
  return -steps >= seriouslyBehindAt ? '严重滞后' : '欠进度';
}

function frequencyReason(indicator: Indicator): string {
  return frequencyOf(indicator) === 'quarterly' ? '季度指标，3、6、9、12月判定' : '年度指标，12月判定';
}

export function assessIndicator(
  indicator: Indicator,
  observation: Observation,
  bands: StatusBands,
): IndicatorProgress {
  checkMonth(observation.month);
  switch (indicator.kind) {
    case 'milestone':
      return assessMilestone(indicator, observation, bands);
    case 'deadline':
      return assessDeadline(indicator, observation);
    case 'qualitative':
      return assessQualitative(indicator, observation);
    default:
      return assessNumeric(indicator, observation, bands);
  }
}

function numberOf(indicator: Indicator, value: IndicatorValue): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ProgressInputError(`${indicator.code}: expected a number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function assessNumeric(
  indicator: NumericIndicator,
  { month, value: raw }: Observation,
  statusBands: StatusBands,
): IndicatorProgress {
  const bands = resolvedBands(statusBands);
  const base = { code: indicator.code, kind: indicator.kind, dept: indicator.dept, unit: indicator.unit };
  const target = indicator.target;
  const value = raw === undefined ? null : numberOf(indicator, raw);
  const empty = {
    ...base,
    value,
    target,
    completionRate: null,
    expectedShare: null,
    expectedValue: null,
    gapPoints: null,
  };
  if (!isJudgedIn(indicator, month)) {
    return { ...empty, status: '本期不判定', notJudgedReason: frequencyReason(indicator) };
  }
  const share = expectedShare(indicator, month);
  const expected = expectedValue(indicator, month);
  if (value === null) return { ...empty, expectedShare: share, expectedValue: expected, status: '未报送' };
  const direction = indicator.direction === 'higher' ? 1 : -1;
  const meets = direction * (value - target) >= 0;
  const isDecember = month === 12;

  if (indicator.kind === 'rank') {
    const steps = target - value;
    return {
      ...empty,
      expectedValue: expected,
      gapSteps: steps,
      status: isDecember && meets ? '已完成' : statusFromSteps(steps, bands.rankSeriouslyBehindPlaces + 1),
    };
  }

  if (indicator.kind === 'rate') {
    // A rate is compared with the rate expected by now, in points of the rate itself.
    const gap = new Exact(value).minus(expectedRate(indicator, month)).times(direction);
    return {
      ...empty,
      expectedValue: expected,
      gapPoints: gap.toNumber(),
      status:
        isDecember && meets
          ? '已完成'
          : statusFromPoints(
              gap,
              bands.rateAheadPoints,
              bands.rateTolerancePoints,
              bands.rateSeriouslyBehindPoints,
            ),
    };
  }

  return { ...empty, ...assessAmount(indicator, month, value, bands), expectedShare: share };
}

/** Cumulative amounts and stocks: the gap in points of the target, or of the planned increment. */
function assessAmount(
  indicator: NumericIndicator,
  month: number,
  value: number,
  bands: Required<StatusBands>,
): Pick<IndicatorProgress, 'completionRate' | 'expectedValue' | 'gapPoints' | 'status'> {
  const direction = indicator.direction === 'higher' ? 1 : -1;
  const target = indicator.target;
  const start = indicator.kind === 'stock' ? indicator.baseline : 0;
  const expected = expectedAmount(indicator, month);
  const increment = target - start;
  // A stock is measured on what the year is meant to add; one whose target equals its
  // baseline is a floor to hold, measured on the floor itself.
  const scale = increment !== 0 ? Math.abs(increment) : Math.abs(target);
  const ahead = new Exact(value).minus(expected).times(direction);
  const gap = scale === 0 ? null : ahead.div(scale).times(100);
  const meets = direction * (value - target) >= 0;
  // A cumulative amount that reaches a higher-is-better target has done its year's work; a
  // stock can fall back and a ceiling can still be breached, so both finish only in December.
  const finished = meets && (month === 12 || (indicator.kind === 'cumulative' && direction === 1));
  let status: Status;
  if (finished) status = '已完成';
  else if (gap) status = statusFromPoints(gap, bands.aheadPoints, 0, bands.seriouslyBehindPoints);
  else status = ahead.gte(0) ? '达进度' : '严重滞后';
  const completionRate =
    indicator.kind === 'stock'
      ? increment !== 0
        ? new Exact(value).minus(start).div(increment).toNumber()
        : null
      : target !== 0
        ? new Exact(value).div(target).toNumber()
        : null;
  return {
    completionRate,
    expectedValue: expected.toNumber(),
    gapPoints: gap ? gap.toNumber() : null,
    status,
  };
}

/** The furthest stage index reached in any month up to now (−1 for none). */
function furthestStage(
  stageIndex: (value: IndicatorValue) => number,
  value: IndicatorValue | undefined,
  earlier: readonly (IndicatorValue | undefined)[] | undefined,
): number {
  let best = value === undefined ? -1 : stageIndex(value);
  for (const v of earlier ?? []) if (v !== undefined) best = Math.max(best, stageIndex(v));
  return best;
}

function assessMilestone(
  indicator: MilestoneIndicator,
  { month, value, earlier }: Observation,
  statusBands: StatusBands,
): IndicatorProgress {
  const stages = indicator.stages;
  const last = stages[stages.length - 1];
  const plannedIndex = plannedStageIndex(indicator, month);
  const n = stages.length;
  const stageIndex = (v: IndicatorValue): number => {
    const i = v === NOT_STARTED_STAGE ? -1 : stages.findIndex((s) => s.stage === v);
    if (typeof v !== 'string' || (i === -1 && v !== NOT_STARTED_STAGE)) {
      throw new ProgressInputError(
        `${indicator.code}: expected one of ${[NOT_STARTED_STAGE, ...stages.map((s) => s.stage)].join('|')}, got ${JSON.stringify(v)}`,
      );
    }
    return i;
  };
  const reachedIndex = furthestStage(stageIndex, value, earlier);
  const reachedBefore = earlier?.some((v) => v !== undefined) ?? false;
  const base = {
    code: indicator.code,
    kind: indicator.kind,
    dept: indicator.dept,
    unit: indicator.unit,
    target: last?.stage ?? '',
    expectedShare: (plannedIndex + 1) / n,
    expectedValue: null,
    stagePlanned: stages[plannedIndex]?.stage ?? NOT_STARTED_STAGE,
    ...(value !== undefined || reachedBefore
      ? { stageReached: stages[reachedIndex]?.stage ?? NOT_STARTED_STAGE }
      : {}),
  };
  if (value === undefined) {
    return { ...base, value: null, completionRate: null, gapPoints: null, status: '未报送' };
  }
  const steps = reachedIndex - plannedIndex;
  const seriously = resolvedBands(statusBands).milestoneSeriouslyBehindStages;
  return {
    ...base,
    value,
    completionRate: (reachedIndex + 1) / n,
    gapPoints: new Exact(steps).times(100).div(n).toNumber(),
    gapSteps: steps,
    status: reachedIndex === n - 1 ? '已完成' : statusFromSteps(steps, seriously),
  };
}

/** Before its due month a dated result is 未到期; by then it is 已完成 or 逾期未完成. */
function dueStatus(done: boolean, month: number, dueMonth: number): Status {
  if (done) return '已完成';
  return month < dueMonth ? '未到期' : '逾期未完成';
}

function assessDeadline(
  indicator: DeadlineIndicator,
  { month, value, earlier }: Observation,
): IndicatorProgress {
  const now = value === undefined ? undefined : numberOf(indicator, value);
  const best = Math.max(
    now ?? Number.NEGATIVE_INFINITY,
    ...(earlier ?? []).map((v) => (v === undefined ? Number.NEGATIVE_INFINITY : numberOf(indicator, v))),
  );
  const done = best >= indicator.target;
  const base = {
    code: indicator.code,
    kind: indicator.kind,
    dept: indicator.dept,
    unit: indicator.unit,
    value: now ?? null,
    target: indicator.target,
    expectedShare: null,
    expectedValue: null,
    gapPoints: null,
    dueMonth: indicator.dueMonth,
  };
  // A result once reported stays: a department that misses a month does not lose its honour.
  if (now === undefined && !done) return { ...base, completionRate: null, status: '未报送' };
  const status = dueStatus(done, month, indicator.dueMonth);
  return {
    ...base,
    completionRate: Number.isFinite(best) ? new Exact(best).div(indicator.target).toNumber() : null,
    status,
    ...(status === '未到期' ? { notJudgedReason: `${indicator.dueMonth}月底到期` } : {}),
  };
}

function assessQualitative(
  indicator: QualitativeIndicator,
  { month, value, earlier }: Observation,
): IndicatorProgress {
  const stages = indicator.stages;
  const stageIndex = (v: IndicatorValue): number => {
    const i = v === NOT_STARTED_TASK ? -1 : stages.indexOf(String(v));
    if (typeof v !== 'string' || (i === -1 && v !== NOT_STARTED_TASK)) {
      throw new ProgressInputError(
        `${indicator.code}: expected one of ${[NOT_STARTED_TASK, ...stages].join('|')}, got ${JSON.stringify(v)}`,
      );
    }
    return i;
  };
  const reachedIndex = furthestStage(stageIndex, value, earlier);
  const done = reachedIndex === stages.length - 1;
  const anyReport = value !== undefined || (earlier?.some((v) => v !== undefined) ?? false);
  const base = {
    code: indicator.code,
    kind: indicator.kind,
    dept: indicator.dept,
    unit: indicator.unit,
    value: value ?? null,
    target: stages[stages.length - 1] ?? '',
    completionRate: null,
    expectedShare: null,
    expectedValue: null,
    gapPoints: null,
    dueMonth: indicator.dueMonth,
    ...(anyReport ? { stageReached: stages[reachedIndex] ?? NOT_STARTED_TASK } : {}),
  };
  if (value === undefined && !done) return { ...base, status: '未报送' };
  const status = dueStatus(done, month, indicator.dueMonth);
  return {
    ...base,
    status,
    ...(status === '未到期' ? { notJudgedReason: `${indicator.dueMonth}月底到期` } : {}),
  };
}

/** Is a status a judgement (not 未报送, 未到期 or 本期不判定)? */
export function isJudgement(status: Status): boolean {
  return status !== '未报送' && !NOT_JUDGED.has(status);
}
