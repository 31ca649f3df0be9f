import { addDays, parseCivilDate } from '../../../functions/core/calendar/working-calendar.ts';
import { beijingInstant } from '../../../functions/core/due-date.ts';
import { UsageError } from '../../../functions/core/errors.ts';

/**
 * `--as-of`: a Beijing date (the whole day) or an ISO instant (that day up to the instant).
 * The window is what `duban remind` acts on; `to` is the moment `duban status` judges at.
 */
export function parseAsOf(raw: string): { from: Date; to: Date } {
  if (parseCivilDate(raw)) {
    return { from: beijingInstant(raw), to: new Date(beijingInstant(addDays(raw, 1)).getTime() - 1) };
  }
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw)
    ? new Date(raw)
    : undefined;
  if (!at || Number.isNaN(at.getTime())) {
    throw new UsageError(
      `--as-of must be a date YYYY-MM-DD or an ISO time with offset (2023-07-04T09:00+08:00), got "${raw}"`,
    );
  }
  const day = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return { from: beijingInstant(day), to: at };
}
