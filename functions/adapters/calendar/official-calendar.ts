import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import pkg from 'chinese-days/package.json' with { type: 'json' };
import { parseDocument } from 'yaml';
import * as z from 'zod/mini';
import {
  addDays,
  type CalendarYear,
  parseCivilDate,
  tableCalendar,
  type WorkingCalendar,
} from '../../core/calendar/working-calendar.ts';
import { ConfigError } from '../../core/errors.ts';
import { ENV } from '../../shared/resources.ts';
import { templatesRoot } from '../templates-dir.ts';

/**
 * The official working-day calendar, from two sources: the `chinese-days` package (the State
 * Council's notices from 2004 on, released on npm within days of each new notice) and local
 * override files in the notice's own terms (templates/calendar/<year>.yaml, or the file named
 * by DUBAN_CALENDAR_FILE). An override replaces the package's year as a whole, so a year the
 * package does not have yet, or gets wrong, is one file away. docs/calendar.md has the format.
 */

export const PACKAGE_SOURCE = `chinese-days ${pkg.version}`;

/** What the error for a missing year tells the operator to do. */
export const CALENDAR_REMEDY =
  "once the State Council has published that year's holiday notice, update the calendar package (npm update chinese-days) or add templates/calendar/<year>.yaml in the notice's terms (docs/calendar.md), or name such a file in DUBAN_CALENDAR_FILE";

/** "National Day,国庆节,3" → 国庆节. */
function chineseName(entry: string): string {
  return entry.split(',')[1] ?? entry;
}

/** The package's data, one table per year it covers. */
export function packageYears(source: typeof data = data): CalendarYear[] {
  const years = new Map<number, { holidays: Record<string, string>; workdays: Record<string, string> }>();
  const year = (date: string) => {
    const y = Number(date.slice(0, 4));
    const table = years.get(y) ?? { holidays: {}, workdays: {} };
    years.set(y, table);
    return table;
  };
  for (const [date, entry] of Object.entries(source.holidays)) year(date).holidays[date] = chineseName(entry);
  for (const [date, entry] of Object.entries(source.workdays)) year(date).workdays[date] = chineseName(entry);
  return [...years].map(([y, t]) => ({ year: y, ...t, source: PACKAGE_SOURCE }));
}

const civilDateString = z
  .string()
  .check(z.refine((s) => parseCivilDate(s) !== undefined, { message: 'expected a date YYYY-MM-DD' }));

/** One year's notice: each break as a range, each make-up working day by date. */
const overrideSchema = z.object({
  year: z.number().check(z.int(), z.minimum(2000), z.maximum(2100)),
  /** The notice, e.g. 国办发明电〔2026〕7号. */
  notice: z.optional(z.string()),
  holidays: z.array(z.object({ name: z.string(), from: civilDateString, to: civilDateString })),
  workdays: z.array(z.object({ name: z.string(), date: civilDateString })),
});

/** Parses an override file's YAML; every problem names the file. */
export function parseOverride(text: string, file: string): CalendarYear {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigError(`${file}: ${doc.errors[0]?.message.split('\n')[0]}`);
  // YAML reads an unquoted 2027-10-01 as a timestamp; the dates are civil dates, so keep the text.
  const parsed = overrideSchema.safeParse(JSON.parse(JSON.stringify(doc.toJS(), dateText)));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`${file}: not a holiday calendar: ${lines.join('; ')}`);
  }
  const o = parsed.data;
  const holidays: Record<string, string> = {};
  const outside = (date: string) => Number(date.slice(0, 4)) !== o.year;
  for (const h of o.holidays) {
    if (h.to < h.from)
      throw new ConfigError(`${file}: ${h.name} ends (${h.to}) before it starts (${h.from})`);
    for (let d = h.from; d <= h.to; d = addDays(d, 1)) holidays[d] = h.name;
  }
  const workdays = Object.fromEntries(o.workdays.map((w) => [w.date, w.name]));
  const stray = [...Object.keys(holidays), ...Object.keys(workdays)].filter(outside);
  if (stray.length > 0) throw new ConfigError(`${file}: dates outside ${o.year}: ${stray.join(', ')}`);
  return { year: o.year, holidays, workdays, source: basename(file) };
}

function dateText(_key: string, value: unknown): unknown {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/.test(value)
    ? value.slice(0, 10)
    : value;
}

async function overrideFiles(env: NodeJS.ProcessEnv): Promise<string[]> {
  const dir = join(templatesRoot(env), 'calendar');
  let names: string[] = [];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const extra = env[ENV.calendarFile]?.trim();
  return [...names.map((n) => join(dir, n)), ...(extra ? [extra] : [])];
}

async function readOverride(file: string): Promise<CalendarYear> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${file}: cannot read the holiday calendar (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  return parseOverride(text, file);
}

/** The package's years, then each override file in turn (a later one wins for its year). */
export async function loadOfficialCalendar(env: NodeJS.ProcessEnv = process.env): Promise<WorkingCalendar> {
  const overrides = await Promise.all((await overrideFiles(env)).map(readOverride));
  return tableCalendar([...packageYears(), ...overrides], CALENDAR_REMEDY);
}

let cached: { key: string; calendar: Promise<WorkingCalendar> } | undefined;

/** The calendar of this process, read once (the files do not change while it runs). */
export function officialCalendar(env: NodeJS.ProcessEnv = process.env): Promise<WorkingCalendar> {
  const key = `${templatesRoot(env)}|${env[ENV.calendarFile] ?? ''}`;
  if (cached?.key !== key) {
    const calendar = loadOfficialCalendar(env);
    cached = { key, calendar };
    calendar.catch(() => {
      if (cached?.calendar === calendar) cached = undefined;
    });
  }
  return cached.calendar;
}
