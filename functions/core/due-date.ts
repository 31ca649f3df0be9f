import type { Catalog } from './catalog/catalog-schema.ts';
import { formatPeriod, parsePeriod } from './submission.ts';

/**
 * When a month's submissions are due, and what counts as late. Today's rule is the
 * catalog's: day `submissionDueDay` of the following month, to the end of that day in
 * Beijing time. The working-day calendar (法定节假日, 调休) replaces this one function.
 */
export interface DueDate {
  /** YYYY-MM-DD, Beijing. */
  readonly day: string;
  /** The first instant that is late: 00:00 Beijing of the day after `day`. */
  readonly deadline: Date;
}

const BEIJING_OFFSET_MS = 8 * 3600_000;

export function submissionDueDate(catalog: Pick<Catalog, 'submissionDueDay'>, period: string): DueDate {
  const p = parsePeriod(period);
  if (!p) throw new RangeError(`period must be YYYY-MM, got "${period}"`);
  const next = p.month === 12 ? { year: p.year + 1, month: 1 } : { year: p.year, month: p.month + 1 };
  const day = `${formatPeriod(next.year, next.month)}-${String(catalog.submissionDueDay).padStart(2, '0')}`;
  const deadline = new Date(
    Date.UTC(next.year, next.month - 1, catalog.submissionDueDay + 1) - BEIJING_OFFSET_MS,
  );
  return { day, deadline };
}

/**
 * Late: reported after the deadline, or not reported and the deadline has passed.
 * `firstReportedAt` is the first accepted version's time (a later correction is not lateness).
 */
export function isLate(due: DueDate, firstReportedAt: string | undefined, now: Date): boolean {
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
