import { DubanError } from '../errors.ts';

/**
 * The official working-day calendar: which days are worked per the State Council's annual
 * holiday notice (国务院办公厅关于部分节假日安排的通知), including the weekend days worked in
 * exchange (调休). The data comes from outside (adapters/calendar: the chinese-days package or a
 * local override file); this module only answers questions about it, and refuses a year it
 * has no notice for rather than guessing from weekends.
 */

/** A day as the calendar sees it. */
export type DayKind =
  /** Monday to Friday, no holiday. */
  | 'workday'
  | 'weekend'
  /** A statutory holiday (法定节假日) or a day of its break, weekends inside the break included. */
  | 'holiday'
  /** A Saturday or Sunday worked in exchange for a holiday (调休上班). */
  | 'makeup-workday';

export interface CalendarDay {
  /** YYYY-MM-DD (a civil date in China). */
  readonly date: string;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  readonly working: boolean;
  readonly kind: DayKind;
  /** The holiday's Chinese name (春节, 国庆节 …) for holidays and make-up working days. */
  readonly name?: string;
}

/** One year's arrangement, as the notice states it. */
export interface CalendarYear {
  readonly year: number;
  /** date → holiday name: every day off of each break, weekends inside the break included. */
  readonly holidays: Readonly<Record<string, string>>;
  /** date → holiday name: the weekend days worked in exchange (调休). */
  readonly workdays: Readonly<Record<string, string>>;
  /** Where this year's data comes from, e.g. "chinese-days 1.5.7" or an override file. */
  readonly source: string;
}

/** The port's answer: every date question the reporting rules ask goes through `day`. */
export interface WorkingCalendar {
  /** Years the calendar has a notice for, ascending. */
  readonly years: readonly number[];
  /** e.g. "chinese-days 1.5.7 (2004–2026) + templates/calendar/2027.yaml". */
  readonly source: string;
  /** Throws CalendarYearMissingError for a year without data. */
  day(date: string): CalendarDay;
}

export class CalendarYearMissingError extends DubanError {
  override readonly name: string = 'CalendarYearMissingError';
  constructor(
    readonly year: number,
    readonly known: readonly number[],
    remedy: string,
  ) {
    const range = known.length > 0 ? `${known[0]}–${known.at(-1)}` : 'no year';
    super(
      `没有${year}年的法定节假日安排 / no official holiday calendar for ${year} (the calendar covers ${range}): ${remedy}`,
    );
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses YYYY-MM-DD strictly (2023-02-30 is not a date). */
export function parseCivilDate(date: string): { year: number; month: number; day: number } | undefined {
  const m = DATE.exec(date);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) {
    return undefined;
  }
  return { year, month, day };
}

export function civilDate(year: number, month: number, day: number): string {
  const utc = new Date(Date.UTC(year, month - 1, day));
  return utc.toISOString().slice(0, 10);
}

/** The date n days after (n < 0: before) a civil date. */
export function addDays(date: string, n: number): string {
  const p = parseCivilDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  return civilDate(p.year, p.month, p.day + n);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** A calendar over the given years' tables; a later table for the same year replaces an earlier one. */
export function tableCalendar(tables: readonly CalendarYear[], remedy: string): WorkingCalendar {
  const byYear = new Map<number, CalendarYear>();
  for (const t of tables) byYear.set(t.year, t);
  const years = [...byYear.keys()].sort((a, b) => a - b);
  const sources = [...new Set(years.map((y) => byYear.get(y)?.source ?? ''))];
  return {
    years,
    source: sources.join(' + '),
    day(date: string): CalendarDay {
      const p = parseCivilDate(date);
      if (!p) throw new RangeError(`not a date: ${date}`);
      const table = byYear.get(p.year);
      if (!table) throw new CalendarYearMissingError(p.year, years, remedy);
      const weekday = weekdayOf(date);
      const holiday = table.holidays[date];
      if (holiday !== undefined) return { date, weekday, working: false, kind: 'holiday', name: holiday };
      const makeup = table.workdays[date];
      if (makeup !== undefined) return { date, weekday, working: true, kind: 'makeup-workday', name: makeup };
      const weekend = weekday === 0 || weekday === 6;
      return { date, weekday, working: !weekend, kind: weekend ? 'weekend' : 'workday' };
    },
  };
}

/** The first working day on or after (direction 1) / on or before (−1) a date. */
export function nearestWorkingDay(calendar: WorkingCalendar, date: string, direction: 1 | -1): string {
  let d = date;
  // A break is at most nine days long; a month without a working day means broken data.
  for (let i = 0; i < 40; i++) {
    if (calendar.day(d).working) return d;
    d = addDays(d, direction);
  }
  throw new RangeError(`no working day within 40 days of ${date}: the calendar data is damaged`);
}

/** The n-th working day after a date (n > 0) or before it (n < 0); n = 0 is the date itself. */
export function shiftWorkingDays(calendar: WorkingCalendar, date: string, n: number): string {
  let d = date;
  let left = Math.abs(n);
  const step = n < 0 ? -1 : 1;
  while (left > 0) {
    d = addDays(d, step);
    if (calendar.day(d).working) left--;
  }
  return d;
}

/** The n-th working day (1-based) of a month. */
export function nthWorkingDayOfMonth(
  calendar: WorkingCalendar,
  year: number,
  month: number,
  n: number,
): string {
  const first = nearestWorkingDay(calendar, civilDate(year, month, 1), 1);
  return shiftWorkingDays(calendar, first, n - 1);
}

/** Working days from a to b, counting b and not a (0 when b ≤ a). */
export function workingDaysBetween(calendar: WorkingCalendar, a: string, b: string): number {
  let count = 0;
  for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) if (calendar.day(d).working) count++;
  return count;
}

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

/** "2023年10月7日（星期六，国庆节调休上班）": what the CLI and mails print. */
export function describeDay(day: CalendarDay): string {
  const p = parseCivilDate(day.date);
  const label = p ? `${p.year}年${p.month}月${p.day}日` : day.date;
  const note =
    day.kind === 'makeup-workday'
      ? `，${day.name ?? ''}调休上班`
      : day.kind === 'holiday'
        ? `，${day.name ?? ''}假期`
        : '';
  return `${label}（${WEEKDAYS[day.weekday] ?? ''}${note}）`;
}
