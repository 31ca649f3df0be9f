/** Times as the portal prints them: Beijing (UTC+8, no DST), `2024-01-05 08:00`. */

const OFFSET_MS = 8 * 3600_000;

export function beijingParts(instant: Date): { date: string; time: string } {
  const b = new Date(instant.getTime() + OFFSET_MS).toISOString();
  return { date: b.slice(0, 10), time: b.slice(11, 16) };
}

/** `2024-01-05 08:00`; an unreadable value is printed as given. */
export function formatBeijing(iso: string | Date | undefined | null): string {
  if (iso === undefined || iso === null || iso === '') return '—';
  const instant = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(instant.getTime())) return String(iso);
  const { date, time } = beijingParts(instant);
  return `${date} ${time}`;
}

/** `2023年6月` for 2023-06. */
export function periodZh(period: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  return m ? `${m[1]}年${Number(m[2])}月` : period;
}
