import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadOfficialCalendar,
  parseOverride,
} from '../../../functions/adapters/calendar/official-calendar.ts';
import { bulletinIssueDate, reminderTimes } from '../../../functions/core/calendar/reporting-schedule.ts';
import { CalendarYearMissingError } from '../../../functions/core/calendar/working-calendar.ts';
import type { Catalog } from '../../../functions/core/catalog/catalog-schema.ts';
import { isLate, submissionDueDate } from '../../../functions/core/due-date.ts';
import { ConfigError } from '../../../functions/core/errors.ts';
import { packageCalendar } from '../../support/calendar.ts';

const calendar = packageCalendar();
type Rules = Pick<Catalog, 'submissionDueDay' | 'submissionDue' | 'bulletinIssue' | 'reminders'>;
const seedRules: Rules = { submissionDueDay: 4, submissionDue: { day: 4, ifHoliday: 'next-working-day' } };

describe('the official working-day calendar', () => {
  it('knows 调休: Saturday 7 October 2023 is worked, Wednesday 4 October is a holiday', () => {
    // Act
    const saturday = calendar.day('2023-10-07');
    const wednesday = calendar.day('2023-10-04');

    // Assess
    expect(saturday).toMatchObject({ working: true, kind: 'makeup-workday', name: '国庆节', weekday: 6 });
    expect(wednesday).toMatchObject({ working: false, kind: 'holiday', name: '国庆节' });
    expect(calendar.day('2023-10-09')).toMatchObject({ working: true, kind: 'workday' });
    expect(calendar.day('2023-10-14')).toMatchObject({ working: false, kind: 'weekend' });
  });

  it('refuses a year without a notice, naming the year and how to supply it', () => {
    // Prepare
    const lastYear = calendar.years.at(-1) ?? 0;

    // Act
    const missing = () => calendar.day(`${lastYear + 1}-01-04`);

    // Assess
    expect(missing).toThrow(CalendarYearMissingError);
    expect(missing).toThrow(
      new RegExp(`no official holiday calendar for ${lastYear + 1}.*templates/calendar/<year>.yaml`),
    );
  });
});

describe('the submission due date', () => {
  it('moves the 4th of October 2023 (国庆节) to the 调休 Saturday, 7 October', () => {
    // Act
    const due = submissionDueDate(seedRules, '2023-09', calendar);

    // Assess
    expect(due.day).toBe('2023-10-07');
    expect(due.nominal).toBe('2023-10-04');
    expect(due.explanation).toBe('10月4日为国庆节假期，顺延至2023年10月7日（星期六，国庆节调休上班）');
    expect(due.deadline.toISOString()).toBe('2023-10-07T16:00:00.000Z');
  });

  it('Spring Festival 2023: the 24th of January moves to the 调休 Saturday 28 January', () => {
    // Act
    const due = submissionDueDate({ submissionDueDay: 24 }, '2022-12', calendar);

    // Assess
    expect(due.day).toBe('2023-01-28');
    expect(due.calendarDay).toMatchObject({ kind: 'makeup-workday', name: '春节' });
  });

  it('Spring Festival 2024: the 4th of February is a worked Sunday and stays; the 12th moves to Sunday the 18th', () => {
    // Act
    const onSunday = submissionDueDate(seedRules, '2024-01', calendar);
    const inBreak = submissionDueDate({ submissionDueDay: 12 }, '2024-01', calendar);

    // Assess
    expect(onSunday.day).toBe('2024-02-04');
    expect(onSunday.calendarDay.weekday).toBe(0);
    expect(inBreak.day).toBe('2024-02-18');
  });

  it('counts working days for { workingDay: n }, 调休 Sunday included', () => {
    // Act
    const due = submissionDueDate(
      { submissionDueDay: 3, submissionDue: { workingDay: 3, ifHoliday: 'next-working-day' } },
      '2024-01',
      calendar,
    );

    // Assess: 1 Feb (Thu), 2 Feb (Fri), 4 Feb (Sunday, worked).
    expect(due.day).toBe('2024-02-04');
  });

  it('moves back for previous-working-day', () => {
    // Act
    const due = submissionDueDate(
      { submissionDueDay: 4, submissionDue: { day: 4, ifHoliday: 'previous-working-day' } },
      '2023-09',
      calendar,
    );

    // Assess: 29 September – 6 October are off; Thursday 28 September is the last working day before.
    expect(due.day).toBe('2023-09-28');
  });

  it('judges lateness on the first accepted version against the end of the due day, Beijing time', () => {
    // Prepare
    const due = submissionDueDate(seedRules, '2023-09', calendar);

    // Act / Assess
    expect(isLate(due, '2023-10-07T15:59:59Z', new Date('2024-01-01'))).toBe(false);
    expect(isLate(due, '2023-10-07T16:00:00Z', new Date('2024-01-01'))).toBe(true);
    expect(isLate(due, undefined, new Date('2023-10-07T12:00:00Z'))).toBe(false);
    expect(isLate(due, undefined, new Date('2023-10-08T00:00:00Z'))).toBe(true);
  });
});

describe('the bulletin date and the reminder points', () => {
  it('issues September 2023 on the first working day after the moved due day: Sunday 8 October (调休)', () => {
    // Act
    const issue = bulletinIssueDate(
      { ...seedRules, bulletinIssue: { day: 5, at: '08:00', ifHoliday: 'next-working-day' } },
      '2023-09',
      calendar,
    );

    // Assess
    expect(issue.day).toBe('2023-10-08');
    expect(issue.instant.toISOString()).toBe('2023-10-08T00:00:00.000Z');
    expect(issue.explanation).toContain('不早于报送截止日2023-10-07之后的第一个工作日');
  });

  it('reminds 2 working days before, on, and 1 after the due day, never before the month has ended', () => {
    // Act: June 2023 is due Tuesday 4 July; two working days before is Friday 30 June, still June.
    const june = reminderTimes(seedRules, '2023-06', calendar);
    const august = reminderTimes(seedRules, '2023-08', calendar);

    // Assess
    expect(june.map((r) => `${r.id} ${r.day} ${r.at}`)).toEqual([
      'd-2 2023-07-03 09:00',
      'd0 2023-07-04 09:00',
      'd+1 2023-07-05 09:00',
    ]);
    // August 2023 is due Monday 4 September: Thursday 31 August moves to Friday 1 September.
    expect(august.map((r) => r.day)).toEqual(['2023-09-01', '2023-09-04', '2023-09-05']);
  });

  it('gives one reminder a day: the later point wins when two land on the same day', () => {
    // Act
    const points = reminderTimes(
      {
        ...seedRules,
        reminders: {
          points: [
            { workingDays: -3, at: '09:00' },
            { workingDays: -2, at: '09:00' },
          ],
        },
      },
      '2023-06',
      calendar,
    );

    // Assess: both land on Monday 3 July, the first working day after June.
    expect(points.map((p) => `${p.id} ${p.day}`)).toEqual(['d-2 2023-07-03']);
    // September 2023 is due on Saturday 7 October, the first working day of October: one reminder that day.
    const september = reminderTimes(
      {
        ...seedRules,
        reminders: {
          points: [
            { workingDays: -2, at: '15:00' },
            { workingDays: 0, at: '09:00' },
          ],
        },
      },
      '2023-09',
      calendar,
    );
    expect(september.map((p) => `${p.id} ${p.day} ${p.at}`)).toEqual(['d0 2023-10-07 09:00']);
  });
});

describe('override files', () => {
  const notice2027 = [
    'year: 2027',
    'notice: 国办发明电〔2026〕示例',
    'holidays:',
    '  - { name: 元旦, from: 2027-01-01, to: 2027-01-03 }',
    '  - { name: 春节, from: 2027-02-05, to: 2027-02-11 }',
    'workdays:',
    '  - { name: 春节, date: 2027-02-13 }',
  ].join('\n');

  it("supplies a year the package lacks, in the notice's own terms", async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'duban-calendar-'));
    const file = path.join(dir, '2027.yaml');
    await writeFile(file, notice2027);

    // Act
    const withOverride = await loadOfficialCalendar({ DUBAN_CALENDAR_FILE: file });
    const due = submissionDueDate({ submissionDueDay: 8 }, '2027-01', withOverride);

    // Assess: 8 February 2027 is in the break; Friday 12 February is the next working day.
    expect(withOverride.years).toContain(2027);
    expect(withOverride.source).toContain('2027.yaml');
    expect(due.day).toBe('2027-02-12');
    expect(withOverride.day('2027-02-13')).toMatchObject({ working: true, kind: 'makeup-workday' });
  });

  it('rejects a malformed file with the file and the field named', () => {
    // Act
    const bad = () =>
      parseOverride(
        'year: 2027\nholidays:\n  - { name: 春节, from: 2027-02-30, to: 2027-02-11 }\nworkdays: []\n',
        'x.yaml',
      );

    // Assess
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/x\.yaml: .*holidays\.0\.from/);
  });
});
