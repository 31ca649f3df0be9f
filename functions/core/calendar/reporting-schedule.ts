import type { Catalog } from '../catalog/catalog-schema.ts';
import { DEFAULT_REMINDER_POINTS } from '../catalog/catalog-schema.ts';
import {
  beijingDate,
  beijingInstant,
  type DueDate,
  monthAfter,
  resolveDayRule,
  submissionDueDate,
} from '../due-date.ts';
import { formatPeriod, parsePeriod } from '../submission.ts';
import {
  type CalendarDay,
  describeDay,
  nearestWorkingDay,
  shiftWorkingDays,
  type WorkingCalendar,
} from './working-calendar.ts';

/**
 * The month's reporting schedule on the official calendar: when the bulletin is issued and
 * when departments that have not reported are reminded (催报), both derived from the one due
 * date (due-date.ts). Pure; the scheduled handlers, `duban calendar due`, `duban remind` and
 * the demo all read it from here.
 */

type ScheduleCatalog = Pick<Catalog, 'submissionDueDay' | 'submissionDue' | 'bulletinIssue' | 'reminders'>;

export interface BulletinIssue {
  readonly period: string;
  /** YYYY-MM-DD, Beijing. */
  readonly day: string;
  /** HH:00, Beijing. */
  readonly at: string;
  readonly instant: Date;
  readonly rule: string;
  readonly explanation: string;
  readonly calendarDay: CalendarDay;
}

/**
 * The bulletin's day per the catalog rule (default: the first working day after the due
 * date, 08:00). A bulletin never goes out before the due day has ended: a rule that lands on
 * or before the due day (the 5th when the 4th was moved to the 7th) moves to the first working
 * day after the due day.
 */
export function bulletinIssueDate(
  catalog: ScheduleCatalog,
  period: string,
  calendar: WorkingCalendar,
): BulletinIssue {
  const due = submissionDueDate(catalog, period, calendar);
  const rule = catalog.bulletinIssue ?? {
    workingDaysAfterDue: 1,
    at: '08:00',
    ifHoliday: 'next-working-day',
  };
  let day: string;
  let ruleText: string;
  let explanation: string;
  if (rule.workingDaysAfterDue !== undefined) {
    day = shiftWorkingDays(calendar, due.day, rule.workingDaysAfterDue);
    ruleText = `报送截止日后第${rule.workingDaysAfterDue}个工作日 ${rule.at}`;
    explanation = `报送截止日${due.day}后第${rule.workingDaysAfterDue}个工作日为${describeDay(calendar.day(day))}`;
  } else {
    const resolved = resolveDayRule(calendar, rule, monthAfter(period));
    ruleText = `${resolved.rule} ${rule.at}`;
    day = resolved.day;
    explanation = resolved.explanation;
    if (day <= due.day) {
      day = shiftWorkingDays(calendar, due.day, 1);
      explanation = `${resolved.explanation}；不早于报送截止日${due.day}之后的第一个工作日，即${describeDay(calendar.day(day))}`;
    }
  }
  return {
    period,
    day,
    at: rule.at,
    instant: beijingInstant(day, rule.at),
    rule: ruleText,
    explanation,
    calendarDay: calendar.day(day),
  };
}

export interface ReminderTime {
  /** Stable id of the point within the period: "d-2", "d0", "d+1". */
  readonly id: string;
  readonly workingDays: number;
  /** YYYY-MM-DD and HH:00, Beijing. */
  readonly day: string;
  readonly at: string;
  readonly instant: Date;
}

export function reminderPointId(workingDays: number): string {
  return workingDays > 0 ? `d+${workingDays}` : `d${workingDays}`;
}

/**
 * The month's 催报 points, in time order. A point never falls before the first working day
 * after the month ends (a department cannot report a month that is not over), and a day has
 * at most one reminder: when points land on the same day, the later point (the one nearer or
 * past the due day) is the one sent, at its own time.
 */
export function reminderTimes(
  catalog: ScheduleCatalog,
  period: string,
  calendar: WorkingCalendar,
): ReminderTime[] {
  const due = submissionDueDate(catalog, period, calendar);
  const next = monthAfter(period);
  const firstPossible = nearestWorkingDay(calendar, `${formatPeriod(next.year, next.month)}-01`, 1);
  const points = catalog.reminders?.points ?? DEFAULT_REMINDER_POINTS;
  const byDay = new Map<string, ReminderTime>();
  for (const p of [...points].sort((a, b) => a.workingDays - b.workingDays)) {
    const shifted = shiftWorkingDays(calendar, due.day, p.workingDays);
    // biome-ignore lint/complexity/useMathMinMax: the days are ISO date strings; Math.max would turn them into NaN
    const day = shifted < firstPossible ? firstPossible : shifted;
    byDay.set(day, {
      id: reminderPointId(p.workingDays),
      workingDays: p.workingDays,
      day,
      at: p.at,
      instant: beijingInstant(day, p.at),
    });
  }
  return [...byDay.values()].sort((a, b) => a.instant.getTime() - b.instant.getTime());
}

export interface ReportingSchedule {
  readonly period: string;
  readonly due: DueDate;
  readonly bulletin: BulletinIssue;
  readonly reminders: readonly ReminderTime[];
  /** The calendar's source, for the record. */
  readonly calendarSource: string;
}

export function reportingSchedule(
  catalog: ScheduleCatalog,
  period: string,
  calendar: WorkingCalendar,
): ReportingSchedule {
  return {
    period,
    due: submissionDueDate(catalog, period, calendar),
    bulletin: bulletinIssueDate(catalog, period, calendar),
    reminders: reminderTimes(catalog, period, calendar),
    calendarSource: calendar.source,
  };
}

/**
 * The periods whose schedule may fall on the Beijing day of an instant: the month before and
 * the one before that (a rule may reach past the end of the following month), newest first.
 */
export function candidatePeriods(at: Date): string[] {
  const p = parsePeriod(beijingDate(at).slice(0, 7));
  if (!p) throw new RangeError(`not an instant: ${String(at)}`);
  const back = (n: number) => {
    const index = p.year * 12 + (p.month - 1) - n;
    return formatPeriod(Math.floor(index / 12), (index % 12) + 1);
  };
  return [back(1), back(2)];
}

/** True when an instant is in the same Beijing hour as a scheduled time (the hourly schedule's tick). */
export function sameBeijingHour(at: Date, scheduled: Date): boolean {
  const hour = (d: Date) => Math.floor((d.getTime() + 8 * 3600_000) / 3600_000);
  return hour(at) === hour(scheduled);
}
