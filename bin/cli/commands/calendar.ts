import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { officialCalendar } from '../../../functions/adapters/calendar/official-calendar.ts';
import { loadCatalogFile } from '../../../functions/adapters/catalog-files.ts';
import { createStores } from '../../../functions/adapters/dynamo-stores.ts';
import { ensureCatalog } from '../../../functions/adapters/ensure-catalog.ts';
import { periodLabel } from '../../../functions/core/bulletin/bulletin-period.ts';
import { reportingSchedule } from '../../../functions/core/calendar/reporting-schedule.ts';
import type { CalendarDay } from '../../../functions/core/calendar/working-calendar.ts';
import type { Catalog } from '../../../functions/core/catalog/catalog-schema.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import { parsePeriod } from '../../../functions/core/submission.ts';
import { parsePeriodOption } from '../options.ts';
import { runCommand } from '../run-command.ts';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** "Saturday, a 调休 working day (国庆节)" */
function dayNote(day: CalendarDay): string {
  const weekday = WEEKDAYS[day.weekday] ?? '';
  if (day.kind === 'makeup-workday') return `${weekday}, a 调休 working day (${day.name ?? ''})`;
  return weekday;
}

/** The catalog whose rules apply: the file given, else the stored one (the seed on a fresh store). */
async function catalogFor(period: string, file: string | undefined): Promise<Catalog> {
  if (file) return loadCatalogFile(file);
  const year = parsePeriod(period)?.year;
  if (year === undefined) throw new UsageError(`--period must be YYYY-MM, got "${period}"`);
  return (await ensureCatalog(createStores(), year, new Date(), userInfo().username)).catalog;
}

/** `duban calendar due --period <YYYY-MM> [--catalog <file>]`. */
export function register(program: Command): void {
  const calendar = program
    .command('calendar')
    .description('the official working-day calendar (法定节假日, 调休) and the reporting dates it gives');
  calendar
    .command('due')
    .description("a month's submission due date, bulletin date and reminder points, per the catalog's rules")
    .requiredOption('--period <YYYY-MM>', 'the reporting month, e.g. 2023-09')
    .option('--catalog <file>', 'read the rules from this catalog file instead of the stored catalog')
    .action(async (opts: { period: string; catalog?: string }, command: Command) => {
      const period = parsePeriodOption(opts.period);
      await runCommand(
        command,
        async () => {
          const catalog = await catalogFor(period, opts.catalog);
          const cal = await officialCalendar();
          const s = reportingSchedule(catalog, period, cal);
          const text = [
            `${periodLabel(period)} (${period}) — calendar: ${cal.source}`,
            `报送截止 / submissions due: ${s.due.day} (${dayNote(s.due.calendarDay)}), until 24:00 Beijing time`,
            `  规则 / rule: ${s.due.rule}`,
            `  ${s.due.explanation}`,
            `通报编发 / bulletin issued: ${s.bulletin.day} ${s.bulletin.at} (${dayNote(s.bulletin.calendarDay)})`,
            `  规则 / rule: ${s.bulletin.rule}`,
            `  ${s.bulletin.explanation}`,
            `催报 / reminders: ${s.reminders.length === 0 ? 'none' : s.reminders.map((r) => `${r.day} ${r.at} (${r.id})`).join(', ')}`,
          ].join('\n');
          return {
            json: {
              ok: true,
              period,
              calendar: { source: cal.source, years: [cal.years[0], cal.years.at(-1)] },
              due: {
                day: s.due.day,
                nominal: s.due.nominal,
                deadline: s.due.deadline.toISOString(),
                weekday: s.due.calendarDay.weekday,
                kind: s.due.calendarDay.kind,
                rule: s.due.rule,
                explanation: s.due.explanation,
              },
              bulletin: {
                day: s.bulletin.day,
                at: s.bulletin.at,
                instant: s.bulletin.instant.toISOString(),
                kind: s.bulletin.calendarDay.kind,
                rule: s.bulletin.rule,
                explanation: s.bulletin.explanation,
              },
              reminders: s.reminders.map((r) => ({
                id: r.id,
                day: r.day,
                at: r.at,
                instant: r.instant.toISOString(),
              })),
            },
            text,
          };
        },
        { storage: opts.catalog === undefined ? 'create' : undefined },
      );
    });
}
