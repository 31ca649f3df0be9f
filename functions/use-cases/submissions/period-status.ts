import { type BulletinIssue, bulletinIssueDate } from '../../core/calendar/reporting-schedule.ts';
import {
  daysBetween,
  type WorkingCalendar,
  workingDaysBetween,
} from '../../core/calendar/working-calendar.ts';
import type { CatalogVersion } from '../../core/catalog/catalog-schema.ts';
import { beijingDate, type DueDate, isLate, submissionDueDate } from '../../core/due-date.ts';
import { InputRejectedError } from '../../core/errors.ts';
import { remindedAt } from '../../core/reminders/reminder-ledger.ts';
import { parsePeriod, type Submission } from '../../core/submission.ts';
import type { ReminderLedger } from '../ports/reminders.ts';
import type { CatalogStore, SubmissionStore } from '../ports/storage.ts';

/**
 * Where a department stands for a month: reported on time, reported late (逾期报送), not yet
 * reported with the deadline ahead, or missing after it (未报送).
 */
export type Standing = 'on-time' | 'late' | 'pending' | 'missing';

/** One department's standing for a month: what it has submitted so far, if anything. */
export interface DepartmentSubmission {
  readonly dept: string;
  readonly name: string;
  /** Indicators the department answers for in the catalog. */
  readonly indicators: number;
  /** The latest accepted version, or null when the department has not reported (未报送). */
  readonly latest: {
    readonly version: number;
    readonly receivedAt: string;
    readonly uploader: string;
    readonly sha256: string;
    /** True when the latest version corrects an earlier one (更正). */
    readonly correction: boolean;
  } | null;
  /** When the first accepted version arrived: lateness is judged on it, not on a correction. */
  readonly firstReceivedAt: string | null;
  readonly standing: Standing;
  readonly late: boolean;
  /** The reminders (催报) it was sent, by their scheduled instants (ISO), oldest first. */
  readonly remindedAt: readonly string[];
}

export interface PeriodSubmissions {
  readonly period: string;
  readonly catalog: { readonly year: number; readonly version: number };
  readonly due: DueDate;
  readonly bulletin: BulletinIssue;
  /** ISO instant the standing was judged at. */
  readonly asOf: string;
  /** Calendar days from today (Beijing) to the due day: 0 on it, negative after. */
  readonly daysLeft: number;
  /** Working days after today up to and including the due day (0 on or after it). */
  readonly workingDaysLeft: number;
  readonly departments: readonly DepartmentSubmission[];
  readonly reported: number;
  readonly missing: number;
  readonly late: number;
}

export interface PeriodStatusDeps {
  readonly catalogs: Pick<CatalogStore, 'get'>;
  readonly submissions: SubmissionStore;
  readonly calendar: WorkingCalendar;
  /** The reminders sent; without it no department shows as reminded. */
  readonly reminders?: Pick<ReminderLedger, 'list'>;
}

function versionsByDept(subs: readonly Submission[]): Map<string, Submission[]> {
  const map = new Map<string, Submission[]>();
  for (const s of subs) map.set(s.dept, [...(map.get(s.dept) ?? []), s]);
  for (const list of map.values()) list.sort((a, b) => a.version - b.version);
  return map;
}

function standingOf(first: Submission | undefined, due: DueDate, now: Date): Standing {
  const late = isLate(due, first?.receivedAt, now);
  if (first) return late ? 'late' : 'on-time';
  return late ? 'missing' : 'pending';
}

/** The catalog of a period's year; a malformed period or a year without one is rejected input. */
export async function catalogOfPeriod(
  catalogs: Pick<CatalogStore, 'get'>,
  period: string,
): Promise<CatalogVersion> {
  const year = parsePeriod(period)?.year;
  if (year === undefined)
    throw new InputRejectedError(`期间格式应为 YYYY-MM / period must be YYYY-MM, got "${period}"`);
  const catalog = await catalogs.get(year);
  if (!catalog) {
    throw new InputRejectedError(
      `没有${year}年的目标目录 / no catalog for ${year}: load one with \`npx duban catalog load\``,
    );
  }
  return catalog;
}

/**
 * Who has reported for a month, department by department in catalog order, judged at `now`
 * against the one due date (core/due-date.ts): the statistics office's (`duban status`) and
 * the portal's view of a period. Departments without indicators are left out; a submission
 * received after `now` does not count yet (a replay judges the past as it was).
 */
export async function periodSubmissions(
  deps: PeriodStatusDeps,
  period: string,
  now: Date,
): Promise<PeriodSubmissions> {
  const catalog = await catalogOfPeriod(deps.catalogs, period);
  const due = submissionDueDate(catalog.catalog, period, deps.calendar);
  const received = (await deps.submissions.allForPeriod(period)).filter(
    (s) => Date.parse(s.receivedAt) <= now.getTime(),
  );
  const versions = versionsByDept(received);
  const reminded = remindedAt((await deps.reminders?.list(period)) ?? [], now);
  const departments = catalog.catalog.departments
    .map((d): DepartmentSubmission => {
      const own = versions.get(d.id) ?? [];
      const first = own[0];
      const s = own.at(-1);
      const standing = standingOf(first, due, now);
      return {
        dept: d.id,
        name: d.shortName,
        indicators: catalog.catalog.indicators.filter((i) => i.dept === d.id).length,
        latest: s
          ? {
              version: s.version,
              receivedAt: s.receivedAt,
              uploader: s.uploader,
              sha256: s.sourceSha256,
              correction: s.correction !== undefined,
            }
          : null,
        firstReceivedAt: first?.receivedAt ?? null,
        standing,
        late: standing === 'late' || standing === 'missing',
        remindedAt: reminded.get(d.id) ?? [],
      };
    })
    .filter((d) => d.indicators > 0);
  const today = beijingDate(now);
  const reported = departments.filter((d) => d.latest !== null).length;
  return {
    period,
    catalog: { year: catalog.year, version: catalog.version },
    due,
    bulletin: bulletinIssueDate(catalog.catalog, period, deps.calendar),
    asOf: now.toISOString(),
    daysLeft: daysBetween(today, due.day),
    workingDaysLeft: workingDaysBetween(deps.calendar, today, due.day),
    departments,
    reported,
    missing: departments.length - reported,
    late: departments.filter((d) => d.standing === 'late').length,
  };
}
