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

/** 期号: "2023年第12期"; a re-issue (v2 …) is "2023年第12期（更正版）". */
export function issueLabel(year: number, month: number, version: number): string {
  return `${year}年第${month}期${version > 1 ? '（更正版）' : ''}`;
}

/** "2024-01-05 08:00" in Beijing time: how every time is printed (PDF, Excel, CLI). */
export function beijingTime(at: Date | string): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) return String(at);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: BULLETIN_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** "2024年1月5日" in Beijing time. */
export function dateLabel(at: Date): string {
  const d = shanghaiDate(at);
  return `${d.year}年${d.month}月${d.day}日`;
}
