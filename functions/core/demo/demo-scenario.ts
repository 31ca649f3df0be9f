import { type ReportingSchedule, reportingSchedule } from '../calendar/reporting-schedule.ts';
import { addDays, type WorkingCalendar } from '../calendar/working-calendar.ts';
import { isJudgedIn } from '../catalog/catalog-lookup.ts';
import type {
  Catalog,
  CumulativeIndicator,
  Indicator,
  IndicatorValue,
  NumericIndicator,
} from '../catalog/catalog-schema.ts';
import { beijingInstant, monthAfter } from '../due-date.ts';
import { DubanError } from '../errors.ts';
import { formatPeriod } from '../submission.ts';
import { catalogTrajectories, reportingDecimals, type Trajectory } from './trajectory.ts';

/**
 * The year the demo replays, as a plan of steps: every department uploads its figures for
 * each month early in the following month, the scheduler then runs the bulletin; on purpose
 * one upload is rejected (and fixed), one month is corrected after its bulletin was issued
 * (re-issued as a new version), and one department misses one month (未报送). Pure: the
 * orchestration turns the plan into workbooks, S3 uploads and handler invocations.
 */

export class DemoScenarioError extends DubanError {
  override readonly name: string = 'DemoScenarioError';
}

/**
 * One row a department fills in: 本期值 as typed (a number, a stage, or bad text; absent:
 * left blank, as for a quarterly figure outside its months), and 情况说明.
 */
export interface DemoRow {
  readonly code: string;
  readonly value?: IndicatorValue;
  readonly note?: string;
}

export type UploadPurpose = 'regular' | 'rejected' | 'resubmission' | 'correction';

export interface DemoUpload {
  readonly kind: 'upload';
  readonly dept: string;
  readonly period: string;
  readonly purpose: UploadPurpose;
  readonly rows: readonly DemoRow[];
  readonly expect: 'accepted' | 'rejected';
  /** File name under incoming/<dept>/<period>/. */
  readonly fileName: string;
  /** Who uploads: the department's first contact address. */
  readonly uploader: string;
  /** When the upload happens (ISO, UTC). */
  readonly at: string;
}

export interface DemoBulletinRun {
  readonly kind: 'bulletin';
  readonly period: string;
  /** A re-run after a correction, with the period named explicitly. */
  readonly reissue: boolean;
  /** When EventBridge Scheduler (or the operator, for a re-issue) starts the run (ISO, UTC). */
  readonly at: string;
}

/** The hourly reminder schedule's tick at one of the month's 催报 points. */
export interface DemoReminderRun {
  readonly kind: 'remind';
  readonly period: string;
  /** The point's instant (ISO, UTC). */
  readonly at: string;
}

export type DemoStep = DemoUpload | DemoBulletinRun | DemoReminderRun;

export interface DemoMonth {
  readonly month: number;
  readonly period: string;
  readonly steps: readonly DemoStep[];
  /** Departments that send nothing for this month. */
  readonly missing: readonly string[];
}

export interface DemoIncidents {
  readonly rejected?: {
    readonly dept: string;
    readonly period: string;
    readonly code: string;
    readonly text: string;
  };
  readonly correction?: {
    readonly dept: string;
    readonly period: string;
    readonly code: string;
    readonly wrong: number;
    readonly right: number;
    /** Period in whose processing the correction is uploaded. */
    readonly correctedDuring: string;
  };
  readonly missing?: { readonly dept: string; readonly period: string };
}

export interface DemoScenario {
  readonly year: number;
  readonly seed: string;
  readonly months: readonly DemoMonth[];
  readonly trajectories: ReadonlyMap<string, Trajectory>;
  readonly incidents: DemoIncidents;
}

export interface DemoScenarioOptions {
  /** How many months from January to replay (1–12, default 12). */
  readonly months?: number;
  readonly seed?: string;
  /** Override the indicator whose month is corrected after its bulletin (cumulative). */
  readonly correctionCode?: string;
  /** Override the indicator whose cell is filled with text in the rejected upload. */
  readonly rejectedCode?: string;
  /** Override the department that misses a month. */
  readonly missingDept?: string;
}

/** What a department types when the figure is not ready: not a number, so it is rejected. */
export const REJECTED_TEXT = '待统计';
export const CORRECTION_NOTE = '更正：补录上次漏报的项目数据';

function pickCorrection(catalog: Catalog, code: string | undefined): NumericIndicator | undefined {
  const cumulative = catalog.indicators.filter(
    (i): i is CumulativeIndicator =>
      i.kind === 'cumulative' && (i.reportedResult ?? i.target) > 0 && i.frequency === 'monthly',
  );
  if (code) {
    const chosen = cumulative.find((i) => i.code === code);
    if (!chosen)
      throw new DemoScenarioError(
        `correction indicator ${code} is not a monthly cumulative indicator of the catalog`,
      );
    return chosen;
  }
  // Investment figures are the ones most often corrected when a late project return arrives.
  return cumulative.find((i) => i.name.includes('投资')) ?? cumulative[0];
}

function pickRejected(
  catalog: Catalog,
  code: string | undefined,
  avoidDept: string | undefined,
): Indicator | undefined {
  const numeric = catalog.indicators.filter(
    (i) => (i.kind === 'cumulative' || i.kind === 'stock' || i.kind === 'rate') && i.frequency === 'monthly',
  );
  if (code) {
    const chosen = numeric.find((i) => i.code === code);
    if (!chosen)
      throw new DemoScenarioError(
        `rejected indicator ${code} is not a monthly amount, stock or rate of the catalog`,
      );
    return chosen;
  }
  return numeric.find((i) => i.kind === 'cumulative' && i.dept !== avoidDept) ?? numeric[0];
}

/**
 * The department that misses a month: one whose project reached a stage due the month before
 * (so the bulletin shows that a reached stage stays reached), else any; the one with the
 * fewest indicators (later in the catalog on ties), not already involved in another incident.
 */
function pickMissing(
  catalog: Catalog,
  dept: string | undefined,
  avoid: ReadonlySet<string>,
  month: number,
): string | undefined {
  if (dept) {
    if (!catalog.departments.some((d) => d.id === dept)) {
      throw new DemoScenarioError(`department ${dept} is not in the catalog`);
    }
    return dept;
  }
  const stageDueBefore = (id: string) =>
    catalog.indicators.some(
      (i) => i.dept === id && i.kind === 'milestone' && i.stages.some((s) => s.plannedMonth === month - 1),
    );
  const fewest = (candidates: readonly string[]) => {
    let best: { id: string; count: number } | undefined;
    for (const id of candidates) {
      const count = catalog.indicators.filter((i) => i.dept === id).length;
      if (count === 0 || avoid.has(id)) continue;
      if (!best || count <= best.count) best = { id, count };
    }
    return best?.id;
  };
  const ids = catalog.departments.map((d) => d.id);
  return fewest(ids.filter(stageDueBefore)) ?? fewest(ids);
}

/**
 * When departments upload: mornings (09:00–12:59) on the working days after the month ends,
 * before the month's first reminder, so only the month's incidents are chased (催报). When the
 * first reminder comes at the first working day's start (September 2023: the National Day break
 * runs up to the due day), they upload on the days off before it, as offices do before a deadline.
 */
function uploadSlots(calendar: WorkingCalendar, period: string, schedule: ReportingSchedule): string[][] {
  const next = monthAfter(period);
  const firstReminder = schedule.reminders[0]?.instant ?? schedule.due.deadline;
  const days: string[] = [];
  for (
    let d = `${formatPeriod(next.year, next.month)}-01`;
    beijingInstant(d) < firstReminder;
    d = addDays(d, 1)
  )
    days.push(d);
  const before = (day: string) => beijingInstant(day, '13:00') <= firstReminder;
  const working = days.filter((d) => calendar.day(d).working && before(d));
  return [working.length > 0 ? working : days.filter(before)];
}

/** An ISO instant for a day and hour (Asia/Shanghai, +08:00) of a month, month 13 = January next year. */
function shanghaiTime(year: number, month: number, day: number, hour: number, minute = 0): string {
  return new Date(Date.UTC(year, month - 1, day, hour - 8, minute)).toISOString();
}

function valueAt(trajectories: ReadonlyMap<string, Trajectory>, code: string, month: number): IndicatorValue {
  const value = trajectories.get(code)?.[month - 1];
  if (value === undefined) throw new DemoScenarioError(`no trajectory for ${code} month ${month}`);
  return value;
}

/** A plausible wrong figure: part of the month's increase left out, still not below last month. */
function wrongFigure(indicator: NumericIndicator, trajectory: Trajectory, month: number): number {
  const right = Number(trajectory[month - 1]);
  const before = month > 1 ? Number(trajectory[month - 2]) : 0;
  const decimals = reportingDecimals(indicator);
  const factor = 10 ** decimals;
  const wrong = Math.round((before + (right - before) * 0.6) * factor) / factor;
  return wrong === right ? right + 1 / factor : wrong;
}

export function buildDemoScenario(
  catalog: Catalog,
  calendar: WorkingCalendar,
  options: DemoScenarioOptions = {},
): DemoScenario {
  const year = catalog.year;
  const monthCount = options.months ?? 12;
  if (!Number.isInteger(monthCount) || monthCount < 1 || monthCount > 12) {
    throw new DemoScenarioError(`months must be an integer from 1 to 12, got ${monthCount}`);
  }
  const seed = options.seed ?? `duban-demo-${year}`;
  const trajectories = catalogTrajectories(catalog, seed);
  const reporting = catalog.departments.filter((d) => catalog.indicators.some((i) => i.dept === d.id));

  const correctionIndicator = pickCorrection(catalog, options.correctionCode);
  const rejectedIndicator = pickRejected(catalog, options.rejectedCode, correctionIndicator?.dept);
  // Spread over the year when there is room, packed into the first months otherwise.
  const rejectedMonth = Math.min(2, monthCount);
  const correctionMonth = monthCount >= 4 ? 3 : monthCount - 1;
  const missingMonth = monthCount >= 7 ? 6 : Math.max(1, monthCount - 1);
  const missingDept = pickMissing(
    catalog,
    options.missingDept,
    new Set([correctionIndicator?.dept, rejectedIndicator?.dept].filter((d): d is string => Boolean(d))),
    missingMonth,
  );

  const incidents: {
    rejected?: DemoIncidents['rejected'];
    correction?: DemoIncidents['correction'];
    missing?: DemoIncidents['missing'];
  } = {};
  if (rejectedIndicator) {
    incidents.rejected = {
      dept: rejectedIndicator.dept,
      period: formatPeriod(year, rejectedMonth),
      code: rejectedIndicator.code,
      text: REJECTED_TEXT,
    };
  }
  if (correctionIndicator && correctionMonth >= 1) {
    const trajectory = trajectories.get(correctionIndicator.code) ?? [];
    incidents.correction = {
      dept: correctionIndicator.dept,
      period: formatPeriod(year, correctionMonth),
      code: correctionIndicator.code,
      wrong: wrongFigure(correctionIndicator, trajectory, correctionMonth),
      right: Number(trajectory[correctionMonth - 1]),
      correctedDuring: formatPeriod(year, correctionMonth + 1),
    };
  }
  if (missingDept) incidents.missing = { dept: missingDept, period: formatPeriod(year, missingMonth) };

  const uploaderOf = (dept: string) =>
    catalog.departments.find((d) => d.id === dept)?.emails[0] ?? `${dept}@departments.local`;
  const rowsFor = (
    dept: string,
    month: number,
    override?: { code: string; value: IndicatorValue; note?: string },
  ) =>
    catalog.indicators
      .filter((i) => i.dept === dept)
      .map((i): DemoRow => {
        if (override?.code === i.code) {
          return override.note === undefined
            ? { code: i.code, value: override.value }
            : { code: i.code, value: override.value, note: override.note };
        }
        // Quarterly and annual figures are compiled only for their months; the cell stays blank.
        if (!isJudgedIn(i, month)) return { code: i.code };
        return { code: i.code, value: valueAt(trajectories, i.code, month) };
      });

  const months: DemoMonth[] = [];
  for (let month = 1; month <= monthCount; month++) {
    const period = formatPeriod(year, month);
    const steps: DemoStep[] = [];
    const correction = incidents.correction;
    if (correction && correction.correctedDuring === period) {
      // Found after the earlier bulletin went out: the department uploads the corrected
      // workbook mid-month and the office re-runs that month's bulletin.
      const corrected = Number(correction.period.slice(5));
      steps.push({
        kind: 'upload',
        dept: correction.dept,
        period: correction.period,
        purpose: 'correction',
        rows: rowsFor(correction.dept, corrected, {
          code: correction.code,
          value: correction.right,
          note: CORRECTION_NOTE,
        }),
        expect: 'accepted',
        fileName: `${correction.dept}-${correction.period}-correction.xlsx`,
        uploader: uploaderOf(correction.dept),
        at: shanghaiTime(year, corrected + 1, 20, 10),
      });
      steps.push({
        kind: 'bulletin',
        period: correction.period,
        reissue: true,
        at: shanghaiTime(year, corrected + 1, 20, 16),
      });
    }
    const missing = incidents.missing?.period === period ? [incidents.missing.dept] : [];
    const schedule = reportingSchedule(catalog, period, calendar);
    const [uploadDays = []] = uploadSlots(calendar, period, schedule);
    const uploads: DemoUpload[] = [];
    reporting.forEach((dept, index) => {
      if (missing.includes(dept.id)) return;
      // Departments upload on the working days after the month ends, mornings, before the
      // first reminder: only the month's incidents are chased (催报).
      const uploadDay = uploadDays[index % uploadDays.length] ?? schedule.due.day;
      const at = beijingInstant(
        uploadDay,
        `${String(9 + (index % 4)).padStart(2, '0')}:${String(index).padStart(2, '0')}`,
      ).toISOString();
      const base = { kind: 'upload' as const, dept: dept.id, period, uploader: uploaderOf(dept.id) };
      const rejected = incidents.rejected;
      if (rejected && rejected.dept === dept.id && rejected.period === period) {
        uploads.push({
          ...base,
          purpose: 'rejected',
          rows: rowsFor(dept.id, month, { code: rejected.code, value: rejected.text }),
          expect: 'rejected',
          fileName: `${dept.id}-${period}-draft.xlsx`,
          at,
        });
        uploads.push({
          ...base,
          purpose: 'resubmission',
          rows: rowsFor(dept.id, month),
          expect: 'accepted',
          fileName: `${dept.id}-${period}.xlsx`,
          // Fixed within two hours, still before the afternoon reminder.
          at: new Date(Date.parse(at) + 2 * 3600_000).toISOString(),
        });
        return;
      }
      const wrong = correction && correction.dept === dept.id && correction.period === period;
      uploads.push({
        ...base,
        purpose: 'regular',
        rows: wrong
          ? rowsFor(dept.id, month, { code: correction.code, value: correction.wrong })
          : rowsFor(dept.id, month),
        expect: 'accepted',
        fileName: `${dept.id}-${period}.xlsx`,
        at,
      });
    });
    // EventBridge Scheduler ticks hourly; the catalog's rules on the official calendar say
    // which tick reminds (催报) and which one issues the bulletin.
    const scheduled: DemoStep[] = [
      ...uploads,
      ...schedule.reminders.map(
        (r): DemoReminderRun => ({ kind: 'remind', period, at: r.instant.toISOString() }),
      ),
      { kind: 'bulletin', period, reissue: false, at: schedule.bulletin.instant.toISOString() },
    ];
    steps.push(...scheduled.sort((a, b) => a.at.localeCompare(b.at)));
    months.push({ month, period, steps, missing });
  }
  return { year, seed, months, trajectories, incidents };
}
