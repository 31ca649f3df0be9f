import { CALENDAR_REMEDY, packageYears } from '../../functions/adapters/calendar/official-calendar.ts';
import { tableCalendar, type WorkingCalendar } from '../../functions/core/calendar/working-calendar.ts';

/** The official calendar as the package ships it, without override files: what tests judge dates on. */
export function packageCalendar(): WorkingCalendar {
  return tableCalendar(packageYears(), CALENDAR_REMEDY);
}
