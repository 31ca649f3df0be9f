import {
  type IndicatorValue,
  NOT_JUDGED,
  NOT_STARTED_STAGE,
  type Status,
} from '../catalog/catalog-constants.ts';
import { frequencyOf, isFloorToHold, isJudgedIn, sectionsOf } from '../catalog/catalog-lookup.ts';
import type { Catalog, CatalogVersion, Department, Indicator } from '../catalog/catalog-schema.ts';
import { formatPercent, formatPoints, formatValue, NO_FIGURE } from '../format-decimal.ts';
import {
  assessIndicator,
  expectedShare,
  expectedValue,
  type IndicatorProgress,
  isJudgement,
} from '../progress/progress-engine.ts';
import { departmentMoves, rankChangeText, rollUp } from '../progress/rollup.ts';
import { parsePeriod, type Submission } from '../submission.ts';
import { buildAppendix } from './bulletin-appendix.ts';
import { buildCorrections, type PreviousBulletin } from './bulletin-corrections.ts';
import { type EscalationItem, escalationFor } from './bulletin-escalation.ts';
import { buildHeadline } from './bulletin-headline.ts';
import {
  BULLETIN_MODEL_SCHEMA,
  type BulletinModel,
  type BulletinRow,
  type BulletinSection,
  countStatuses,
  type DepartmentRollup,
  type MilestoneView,
  type MonthlySeries,
  type NotReportedDepartment,
} from './bulletin-model.ts';
import { dateLabel, issueLabel, periodLabel } from './bulletin-period.ts';
import { monthDayLabel, type ReportingInput, reportingSummary, withReporting } from './bulletin-reporting.ts';
import { inputsHashFor, latestSubmissions } from './inputs-hash.ts';

export interface BulletinModelInput {
  readonly catalog: CatalogVersion;
  /** YYYY-MM, a month of the catalog year. */
  readonly period: string;
  /** Bulletin version being issued (fenced by the caller). */
  readonly version: number;
  /** When the model is built (generatedAt; the manifest and PDF metadata keep it). */
  readonly now: Date;
  /** The run's issue time (the schedule's instant, or the replay's date); 编发日期. Default: now. */
  readonly issuedAt?: Date;
  readonly generatorVersion: string;
  /**
   * Every accepted submission version of the catalog year up to and including the period:
   * the latest of each month feeds values and trends, the older ones the corrections.
   */
  readonly submissions: readonly Submission[];
  /** The last completed version of this period's bulletin (corrections are measured against it). */
  readonly previous?: PreviousBulletin;
  /** When the previous period's bulletin was issued: earlier-month corrections after it are listed on a first issue. */
  readonly lastIssuedAt?: string;
  /** The inputs hash the caller fenced the version with; computed here only when absent (tests, benchmarks). */
  readonly inputsHash?: string;
  /** The period's due date and the reminders sent so far: 逾期报送 marks and reminder dates. */
  readonly reporting?: ReportingInput;
}

/** Statuses that count as "达到序时进度" in headlines and the ranking. */
export const ON_TRACK: ReadonlySet<Status> = new Set<Status>(['超进度', '达进度', '已完成']);

export class BulletinInputError extends Error {
  override readonly name = 'BulletinInputError';
}

function monthOf(period: string, catalog: Catalog): number {
  const p = parsePeriod(period);
  if (!p) throw new BulletinInputError(`not a period: ${period}`);
  if (p.year !== catalog.year) {
    throw new BulletinInputError(`period ${period} is outside the catalog year ${catalog.year}`);
  }
  return p.month;
}

/** period → dept → latest submission. */
function indexByPeriod(latest: readonly Submission[]): Map<string, Map<string, Submission>> {
  const out = new Map<string, Map<string, Submission>>();
  for (const s of latest) {
    const m = out.get(s.period) ?? new Map<string, Submission>();
    m.set(s.dept, s);
    out.set(s.period, m);
  }
  return out;
}

function valueIn(sub: Submission | undefined, code: string): IndicatorValue | undefined {
  return sub?.values.find((v) => v.code === code)?.value;
}

/** Stages plot as the ordinal of the stage reached (0 = not started); numbers as themselves. */
function trendPoint(indicator: Indicator, value: IndicatorValue | undefined): number | null {
  if (value === undefined) return null;
  if (indicator.kind === 'milestone') {
    if (value === NOT_STARTED_STAGE) return 0;
    const i = indicator.stages.findIndex((s) => s.stage === value);
    return i === -1 ? null : i + 1;
  }
  if (indicator.kind === 'qualitative')
    return typeof value === 'string' ? indicator.stages.indexOf(value) + 1 : null;
  return typeof value === 'number' ? value : null;
}

/** What the schedule expects in a month, on the scale of trendPoint; null in months not judged. */
function expectedPoint(indicator: Indicator, month: number): number | null {
  if (!isJudgedIn(indicator, month)) return null;
  if (indicator.kind === 'milestone')
    return Math.round((expectedShare(indicator, month) ?? 0) * indicator.stages.length);
  return expectedValue(indicator, month);
}

/** The gap in the unit a reader expects for the kind: points, places, stages, or the due month. */
export function gapText(p: IndicatorProgress): string {
  if (p.notJudgedReason !== undefined) return p.notJudgedReason;
  if (p.status === '未报送') return NO_FIGURE;
  if (p.kind === 'deadline' || p.kind === 'qualitative') {
    return p.status === '逾期未完成' ? `${p.dueMonth ?? ''}月底到期，未完成` : NO_FIGURE;
  }
  if (p.gapSteps !== undefined) {
    const unit = p.kind === 'rank' ? '位' : '个节点';
    return `${p.gapSteps > 0 ? '+' : ''}${p.gapSteps}${unit}`;
  }
  return p.gapPoints === null ? NO_FIGURE : `${formatPoints(p.gapPoints)}个百分点`;
}

function buildRow(
  indicator: Indicator,
  progress: IndicatorProgress,
  ctx: {
    depts: Map<string, Department>;
    sub: Submission | undefined;
    trend: MonthlySeries;
    expectedTrend: MonthlySeries;
    corrected: boolean;
  },
): BulletinRow {
  const dept = ctx.depts.get(indicator.dept);
  const reported = progress.value !== null;
  return {
    code: indicator.code,
    name: indicator.name,
    section: indicator.section,
    kind: indicator.kind,
    unit: indicator.unit,
    direction: indicator.direction,
    dept: indicator.dept,
    deptName: dept?.name ?? indicator.dept,
    deptShortName: dept?.shortName ?? indicator.dept,
    coDeptNames: indicator.coDepts.map((id) => ctx.depts.get(id)?.shortName ?? id),
    value: progress.value,
    valueText: reported
      ? formatValue(progress.value, indicator.unit)
      : progress.status === '未报送'
        ? '未报送'
        : NO_FIGURE,
    target: progress.target,
    targetText: formatValue(progress.target, indicator.unit),
    targetBasis: indicator.targetBasis,
    targetArithmetic: indicator.arithmetic ?? null,
    frequency: frequencyOf(indicator),
    notJudgedReason: progress.notJudgedReason ?? null,
    completionRate: progress.completionRate,
    completionRateText: formatPercent(progress.completionRate),
    expectedShare: progress.expectedShare,
    expectedShareText:
      indicator.kind === 'milestone'
        ? (progress.stagePlanned ?? NO_FIGURE)
        : (indicator.kind === 'rate' || isFloorToHold(indicator)) && progress.expectedValue !== null
          ? formatValue(progress.expectedValue, indicator.unit)
          : formatPercent(progress.expectedShare),
    expectedValue: progress.expectedValue,
    gapPoints: progress.gapPoints,
    gapSteps: progress.gapSteps ?? null,
    gapText: gapText(progress),
    status: progress.status,
    note: ctx.sub?.values.find((v) => v.code === indicator.code)?.note ?? '',
    trend: ctx.trend,
    expectedTrend: ctx.expectedTrend,
    submissionVersion: reported ? (ctx.sub?.version ?? null) : null,
    correctedSinceLastVersion: ctx.corrected,
    source: indicator.source,
  };
}

function buildMilestone(
  indicator: Indicator,
  row: BulletinRow,
  progress: IndicatorProgress,
  month: number,
): MilestoneView | undefined {
  if (indicator.kind !== 'milestone') return undefined;
  // A stage reached in an earlier month stays reached, reported this month or not.
  const reached = progress.stageReached;
  const reachedIndex = reached === undefined ? -1 : indicator.stages.findIndex((s) => s.stage === reached);
  return {
    code: row.code,
    name: row.name,
    dept: row.dept,
    deptName: row.deptName,
    currentStage: typeof row.value === 'string' ? row.value : null,
    reachedStage: reached ?? null,
    expectedStage: row.expectedShareText === NOT_STARTED_STAGE ? null : row.expectedShareText,
    stages: indicator.stages.map((s, i) => ({
      stage: s.stage,
      plannedMonth: s.plannedMonth,
      reached: i <= reachedIndex,
      due: s.plannedMonth <= month,
    })),
    status: row.status,
    note: row.note,
  };
}

/**
 * Departments that lead at least one indicator, in the ranking order of progress/rollup.ts:
 * by the printed share of judged indicators on schedule, ties by name, then the unranked.
 */
function rankDepartments(
  catalog: Catalog,
  rows: readonly BulletinRow[],
  progress: readonly IndicatorProgress[],
  subs: Map<string, Submission> | undefined,
  progressBefore: readonly IndicatorProgress[],
): DepartmentRollup[] {
  const out: DepartmentRollup[] = [];
  const rollup = rollUp(catalog, progress);
  const moves = new Map(
    departmentMoves(rollup, progressBefore.length > 0 ? rollUp(catalog, progressBefore) : undefined).map(
      (m) => [m.dept, m],
    ),
  );
  for (const d of rollup.departments) {
    if (d.total === 0) continue;
    const change = moves.get(d.dept)?.change ?? { kind: 'unranked' as const };
    const own = rows.filter((r) => r.dept === d.dept);
    const sub = subs?.get(d.dept);
    out.push({
      id: d.dept,
      name: d.name,
      shortName: d.shortName,
      order: catalog.departments.findIndex((x) => x.id === d.dept),
      indicatorCodes: own.map((r) => r.code),
      indicatorNames: own.map((r) => r.name),
      counts: d.counts,
      total: d.total,
      judged: d.judged,
      onSchedule: d.onSchedule,
      reported: sub !== undefined,
      submissionVersion: sub?.version ?? null,
      receivedAt: sub?.receivedAt ?? null,
      onTrackShare: d.sharePercent === null ? null : d.sharePercent / 100,
      onTrackShareText: d.sharePercent === null ? NO_FIGURE : `${d.sharePercent.toFixed(1)}%`,
      rank: d.rank,
      tied: d.tied,
      rankBefore: moves.get(d.dept)?.rankBefore ?? null,
      rankChangeText: rankChangeText(change),
    });
  }
  return out;
}

export function buildBulletinModel(input: BulletinModelInput): BulletinModel {
  const { catalog } = input.catalog;
  const month = monthOf(input.period, catalog);
  const bands = catalog.statusBands;
  const latest = latestSubmissions(input.submissions.filter((s) => s.period <= input.period));
  const byPeriod = indexByPeriod(latest);
  const current = byPeriod.get(input.period);
  const depts = new Map(catalog.departments.map((d) => [d.id, d]));
  const periods = Array.from(
    { length: month },
    (_, i) => `${catalog.year}-${String(i + 1).padStart(2, '0')}`,
  );

  const corrections = buildCorrections({
    catalog,
    period: input.period,
    submissions: input.submissions,
    latest,
    previous: input.previous,
    lastIssuedAt: input.lastIssuedAt,
  });
  const correctedCodes = new Set(
    corrections.items.filter((c) => c.period === input.period).map((c) => `${c.dept}#${c.code}`),
  );

  const rows: BulletinRow[] = [];
  const progressAll: IndicatorProgress[] = [];
  const progressBefore: IndicatorProgress[] = [];
  const milestones: MilestoneView[] = [];
  const escalations: EscalationItem[] = [];
  for (const indicator of catalog.indicators) {
    const sub = current?.get(indicator.dept);
    const values = periods.map((p) => valueIn(byPeriod.get(p)?.get(indicator.dept), indicator.code));
    // Every month of the year so far, judged on the figures as they stand now.
    const history = values.map((value, i) =>
      assessIndicator(indicator, { month: i + 1, value, earlier: values.slice(0, i) }, bands),
    );
    const progress = history[month - 1] as IndicatorProgress;
    progressAll.push(progress);
    const before = history[month - 2];
    if (before) progressBefore.push(before);
    const deptShortName = depts.get(indicator.dept)?.shortName ?? indicator.dept;
    const escalation = escalationFor({ indicator, deptShortName, history });
    if (escalation) escalations.push(escalation);
    const trend = Array.from({ length: 12 }, (_, i) => (i < month ? trendPoint(indicator, values[i]) : null));
    const expectedTrend = Array.from({ length: 12 }, (_, i) =>
      i < month ? expectedPoint(indicator, i + 1) : null,
    );
    const row = buildRow(indicator, progress, {
      depts,
      sub,
      trend,
      expectedTrend,
      corrected: input.previous !== undefined && correctedCodes.has(`${indicator.dept}#${indicator.code}`),
    });
    rows.push(row);
    const milestone = buildMilestone(indicator, row, progress, month);
    if (milestone) milestones.push(milestone);
  }

  const sections: BulletinSection[] = sectionsOf(catalog)
    .map((name) => {
      const own = rows.filter((r) => r.section === name);
      return { name, rows: own, total: own.length, counts: countStatuses(own.map((r) => r.status)) };
    })
    .filter((s) => s.total > 0);
  const ranked = rankDepartments(catalog, rows, progressAll, current, progressBefore);
  const departments = input.reporting
    ? withReporting(ranked, input.submissions, input.period, input.reporting, input.now)
    : ranked;
  const notReported: NotReportedDepartment[] = departments
    .filter((d) => !d.reported)
    .map((d) => ({
      id: d.id,
      name: d.name,
      shortName: d.shortName,
      indicatorCodes: d.indicatorCodes,
      indicatorNames: d.indicatorNames,
      ...(d.remindedAt
        ? { remindedAt: d.remindedAt, remindedText: d.remindedAt.map(monthDayLabel).join('、') }
        : {}),
    }));
  const reporting = input.reporting ? reportingSummary(departments, input.reporting) : undefined;
  const statusCounts = countStatuses(rows.map((r) => r.status));
  const label = periodLabel(input.period);
  // 编发日期 is the day the run was due (the schedule's instant), not when a retry happened to run.
  const issuedAt = input.issuedAt ?? input.now;
  const submissionVersions: Record<string, number> = {};
  for (const [dept, s] of [...(current ?? new Map<string, Submission>())].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    submissionVersions[dept] = s.version;
  }

  return {
    schema: BULLETIN_MODEL_SCHEMA,
    district: catalog.district,
    title: `${catalog.district}${catalog.year}年政府工作报告目标任务进度通报（${label}）`,
    period: input.period,
    year: catalog.year,
    month,
    periodLabel: label,
    version: input.version,
    generatedAt: input.now.toISOString(),
    generatedDateLabel: dateLabel(input.now),
    issuedAt: issuedAt.toISOString(),
    issueDateLabel: dateLabel(issuedAt),
    issueNumber: month,
    issueLabel: issueLabel(catalog.year, month, input.version),
    generatorVersion: input.generatorVersion,
    catalog: {
      year: input.catalog.year,
      version: input.catalog.version,
      title: catalog.title,
      sourceDocument: catalog.sourceDocument,
    },
    headline: buildHeadline({
      rows,
      statusCounts,
      departments,
      notReported,
      milestones,
      corrections,
      escalations,
      reporting,
    }),
    statusCounts,
    totalIndicators: rows.length,
    judgedIndicators: rows.filter((r) => !NOT_JUDGED.has(r.status)).length,
    assumedJudgements: rows.filter((r) => r.targetBasis === 'assumed' && isJudgement(r.status)).length,
    escalations,
    sections,
    departments,
    notReported,
    ...(reporting ? { reporting } : {}),
    milestones,
    corrections,
    appendix: buildAppendix(catalog, input.reporting?.due.rule),
    inputs: {
      catalogYear: input.catalog.year,
      catalogVersion: input.catalog.version,
      submissionVersions,
      inputsHash: input.inputsHash ?? inputsHashFor(input.catalog, input.period, input.submissions),
    },
  };
}
