import { formatPeriod, parsePeriod } from '../submission.ts';

/** The district's clock: schedules, periods and dates on the cover are Beijing time. */
export const BULLETIN_TIME_ZONE = 'Asia/Shanghai';

/** Year, month and day of an instant in Asia/Shanghai (UTC+8 all year, no DST). */
export function shanghaiDate(at: Date): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: BULLETIN_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/**
 * The period a scheduled run reports on: the month before the run's month in Beijing time,
 * so a run at 2024-01-05 08:00 +08:00 builds 2023-12 even though it is still 2024-01-05
 * 00:00 UTC, and a run at 2024-02-01 01:00 +08:00 (still January in UTC) builds 2024-01.
 */
export function bulletinPeriodFor(at: Date): string {
  const { year, month } = shanghaiDate(at);
  return month === 1 ? formatPeriod(year - 1, 12) : formatPeriod(year, month - 1);
}

/** "2023年12月" */
export function periodLabel(period: string): string {
  const p = parsePeriod(period);
  if (!p) throw new RangeError(`not a period: ${period}`);
  return `${p.year}年${p.month}月`;
}

/** "2024年1月5日" in Beijing time. */
export function dateLabel(at: Date): string {
  const d = shanghaiDate(at);
  return `${d.year}年${d.month}月${d.day}日`;
}
