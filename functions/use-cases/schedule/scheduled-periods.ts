import {
  candidatePeriods,
  type ReportingSchedule,
  reportingSchedule,
  sameBeijingHour,
} from '../../core/calendar/reporting-schedule.ts';
import { parsePeriod } from '../../core/submission.ts';
import type { WorkingCalendar } from '../ports/calendar.ts';
import type { CatalogStore } from '../ports/storage.ts';

/**
 * What the hourly schedules ask at each tick: which periods have their bulletin, or a
 * reminder, in this hour? The schedule on AWS only says "every hour" (Asia/Shanghai); the
 * days come from the catalog's rules on the official calendar, so a holiday moves the work,
 * not a redeploy.
 */
export interface ScheduleDeps {
  readonly catalogs: Pick<CatalogStore, 'get'>;
  readonly calendar: WorkingCalendar;
}

/** The schedules of the periods that may fall around an instant, newest first (years without a catalog have none). */
export async function schedulesAround(deps: ScheduleDeps, at: Date): Promise<ReportingSchedule[]> {
  const out: ReportingSchedule[] = [];
  for (const period of candidatePeriods(at)) {
    const year = parsePeriod(period)?.year;
    const catalog = year === undefined ? undefined : await deps.catalogs.get(year);
    if (catalog) out.push(reportingSchedule(catalog.catalog, period, deps.calendar));
  }
  return out;
}

/** Periods whose bulletin is scheduled in the hour of `at`. */
export async function bulletinsDueAt(deps: ScheduleDeps, at: Date): Promise<string[]> {
  return (await schedulesAround(deps, at))
    .filter((s) => sameBeijingHour(at, s.bulletin.instant))
    .map((s) => s.period);
}

/** Periods with a reminder point in the hour of `at`. */
export async function remindersDueAt(deps: ScheduleDeps, at: Date): Promise<string[]> {
  return (await schedulesAround(deps, at))
    .filter((s) => s.reminders.some((r) => sameBeijingHour(at, r.instant)))
    .map((s) => s.period);
}

/** The newest period whose bulletin was due at least `graceMs` before `at`: what the daily check looks at. */
export async function lastBulletinDue(
  deps: ScheduleDeps,
  at: Date,
  graceMs: number,
): Promise<string | undefined> {
  return (await schedulesAround(deps, at)).find((s) => s.bulletin.instant.getTime() <= at.getTime() - graceMs)
    ?.period;
}

/** The Beijing hour of an instant as a window [start, end]: what one tick of the hourly schedule acts on. */
export function hourWindow(at: Date): { from: Date; to: Date } {
  const start = Math.floor(at.getTime() / 3_600_000) * 3_600_000;
  return { from: new Date(start), to: new Date(start + 3_600_000 - 1) };
}
