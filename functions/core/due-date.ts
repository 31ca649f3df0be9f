import {
  addDays,
  type CalendarDay,
  civilDate,
  describeDay,
  nearestWorkingDay,
  nthWorkingDayOfMonth,
  parseCivilDate,
  type WorkingCalendar,
} from './calendar/working-calendar.ts';
import type { Catalog, SubmissionDueRule } from './catalog/catalog-schema.ts';
import { InputRejectedError } from './errors.ts';
import { formatPeriod, parsePeriod } from './submission.ts';

/**
 * When a month's submissions are due, and what counts as late: the catalog's due rule read
 * on the official working-day calendar. This one function decides it for the bulletin
 * (逾期报送, 未报送), `duban status`, the portal's board and the reminders, so they agree.
 */
export interface DueDate {
  readonly period: string;
  /** The due day, YYYY-MM-DD in Beijing; a submission during it is on time. */
  readonly day: string;
  /** The first instant that is late: 00:00 Beijing of the day after `day`. */
  readonly deadline: Date;
  /** The day the rule names before it is moved off a holiday or weekend (= day when not moved). */
  readonly nominal: string;
  /** The rule in Chinese, e.g. "次月4日（遇法定节假日或休息日顺延至下一个工作日）". */
  readonly rule: string;
  /** Why the day is what it is, e.g. "10月4日为国庆节假期，顺延至2023年10月7日（星期六，国庆节调休上班）". */
  readonly explanation: string;
  /** The due day as the calendar sees it. */
  readonly calendarDay: CalendarDay;
}

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** The instant of a Beijing wall-clock time on a civil date. */
export function beijingInstant(date: string, at = '00:00'): Date {
  const p = parseCivilDate(date);
  const [h, m] = at.split(':').map(Number);
  if (!p || h === undefined || m === undefined) throw new RangeError(`not a date and time: ${date} ${at}`);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, h, m) - BEIJING_OFFSET_MS);
}

/** The civil date in Beijing of an instant. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The month after a period, as year and month. */
export function monthAfter(period: string): { year: number; month: number } {
  const p = parsePeriod(period);
  if (!p) throw new InputRejectedError(`期间格式应为 YYYY-MM / period must be YYYY-MM, got "${period}"`);
  return p.month === 12 ? { year: p.year + 1, month: 1 } : { year: p.year, month: p.month + 1 };
}

/** The catalog's due rule; a catalog with only `submissionDueDay` moves it off holidays. */
export function dueRuleOf(catalog: Pick<Catalog, 'submissionDueDay' | 'submissionDue'>): SubmissionDueRule {
  return catalog.submissionDue ?? { day: catalog.submissionDueDay, ifHoliday: 'next-working-day' };
}

export interface RuleDay {
  readonly day: string;
  readonly nominal: string;
  readonly rule: string;
  readonly explanation: string;
}

/** A `day`/`workingDay` rule resolved in the given month. */
export function resolveDayRule(
  calendar: WorkingCalendar,
  rule: {
    readonly day?: number;
    readonly workingDay?: number;
    readonly ifHoliday: SubmissionDueRule['ifHoliday'];
  },
  month: { readonly year: number; readonly month: number },
): RuleDay {
  if (rule.workingDay !== undefined) {
    const day = nthWorkingDayOfMonth(calendar, month.year, month.month, rule.workingDay);
    return {
      day,
      nominal: day,
      rule: `次月第${rule.workingDay}个工作日`,
      explanation: `${month.month}月第${rule.workingDay}个工作日为${describeDay(calendar.day(day))}`,
    };
  }
  const dayOfMonth = rule.day ?? 1;
  const nominal = civilDate(month.year, month.month, dayOfMonth);
  const direction = rule.ifHoliday === 'previous-working-day' ? -1 : 1;
  const day = nearestWorkingDay(calendar, nominal, direction);
  const moveText = direction === 1 ? '顺延至下一个工作日' : '提前至上一个工作日';
  const nominalDay = calendar.day(nominal);
  const why =
    nominalDay.kind === 'holiday'
      ? `${nominalDay.name ?? '法定节'}假期`
      : nominalDay.kind === 'weekend'
        ? '休息日'
        : '';
  return {
    day,
    nominal,
    rule: `次月${dayOfMonth}日（遇法定节假日或休息日${moveText}）`,
    explanation:
      day === nominal
        ? `${describeDay(calendar.day(day))}为工作日`
        : `${month.month}月${dayOfMonth}日为${why}，${direction === 1 ? '顺延' : '提前'}至${describeDay(calendar.day(day))}`,
  };
}

export function submissionDueDate(
  catalog: Pick<Catalog, 'submissionDueDay' | 'submissionDue'>,
  period: string,
  calendar: WorkingCalendar,
): DueDate {
  const resolved = resolveDayRule(calendar, dueRuleOf(catalog), monthAfter(period));
  return {
    period,
    ...resolved,
    deadline: beijingInstant(addDays(resolved.day, 1)),
    calendarDay: calendar.day(resolved.day),
  };
}

/**
 * Late: reported after the deadline, or not reported and the deadline has passed.
 * `firstReportedAt` is the first accepted version's time (a later correction is not lateness).
 */
export function isLate(
  due: Pick<DueDate, 'deadline'>,
  firstReportedAt: string | undefined,
  now: Date,
): boolean {
  if (firstReportedAt) return new Date(firstReportedAt).getTime() >= due.deadline.getTime();
  return now.getTime() >= due.deadline.getTime();
}

/** The month a department reports on at `now`: the month before, in Beijing time. */
export function reportingPeriodAt(now: Date): string {
  const beijing = new Date(now.getTime() + BEIJING_OFFSET_MS);
  const year = beijing.getUTCFullYear();
  const month = beijing.getUTCMonth() + 1;
  return month === 1 ? formatPeriod(year - 1, 12) : formatPeriod(year, month - 1);
}
