/**
 * The calendar port: the official working-day calendar (法定节假日 and 调休) every reporting
 * date is read on. Its interface is the core's, because the reporting rules in core ask it
 * their questions; adapters/calendar implements it (the chinese-days package plus override
 * files), and tests pass a table of their own.
 */
export type { CalendarDay, WorkingCalendar } from '../../core/calendar/working-calendar.ts';
