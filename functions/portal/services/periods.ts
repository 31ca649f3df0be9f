import { reportingPeriodAt } from '../../core/due-date.ts';
import { formatPeriod, PERIOD_PATTERN } from '../../core/submission.ts';
import { errors } from '../http/api-error.ts';
import type { PortalData } from '../ports.ts';

/** A period from a path or query, checked; 400 when malformed. */
export function parsePeriodParam(raw: string | undefined): string {
  if (!raw || !PERIOD_PATTERN.test(raw)) throw errors.badPeriod(raw ?? '');
  return raw;
}

export interface PeriodChoice {
  /** The period a page shows when none is asked for. */
  readonly current: string;
  /** Months a user may pick, newest first: every month of each year with a catalog, up to `current`'s month in the reporting year. */
  readonly options: readonly string[];
}

/**
 * The month a page opens on: the reporting month at `now` (the month before, Beijing time)
 * when its year has a catalog; otherwise December of the latest year that has one, so a
 * replayed year (the demo's 2023) opens on its own months.
 */
export async function periodChoice(data: PortalData, now: Date): Promise<PeriodChoice> {
  const years = await data.catalogs.years();
  const reporting = reportingPeriodAt(now);
  const reportingYear = Number(reporting.slice(0, 4));
  const latest = years.at(-1);
  const current =
    years.includes(reportingYear) || latest === undefined ? reporting : formatPeriod(latest, 12);
  const options: string[] = [];
  for (const year of [...years].reverse()) {
    for (let month = 12; month >= 1; month--) {
      const p = formatPeriod(year, month);
      if (p <= current || year !== reportingYear) options.push(p);
    }
  }
  if (!options.includes(current)) options.unshift(current);
  return { current, options };
}

/** The period asked for in `?period=`, or the current one. */
export async function pickPeriod(
  data: PortalData,
  now: Date,
  raw: string | undefined,
): Promise<{ period: string; choice: PeriodChoice }> {
  const choice = await periodChoice(data, now);
  return { period: raw ? parsePeriodParam(raw) : choice.current, choice };
}
