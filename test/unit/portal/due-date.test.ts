import { describe, expect, it } from 'vitest';
import { isLate, reportingPeriodAt, submissionDueDate } from '../../../functions/core/due-date.ts';
import { packageCalendar } from '../../support/calendar.ts';

const calendar = packageCalendar();

describe('due date (the catalog rule)', () => {
  it('is the due day of the next month, to the end of that day in Beijing', () => {
    const due = submissionDueDate({ submissionDueDay: 4 }, '2023-12', calendar);
    expect(due.day).toBe('2024-01-04');
    expect(due.deadline.toISOString()).toBe('2024-01-04T16:00:00.000Z');
  });

  it('judges lateness on the first accepted version, or on now when there is none', () => {
    const due = submissionDueDate({ submissionDueDay: 4 }, '2023-06', calendar);
    expect(isLate(due, '2023-07-04T15:59:59Z', new Date('2023-09-01'))).toBe(false);
    expect(isLate(due, '2023-07-04T16:00:00Z', new Date('2023-09-01'))).toBe(true);
    expect(isLate(due, undefined, new Date('2023-07-04T10:00:00Z'))).toBe(false);
    expect(isLate(due, undefined, new Date('2023-07-05T00:00:00+08:00'))).toBe(true);
  });

  it('reports on the month before, in Beijing time', () => {
    expect(reportingPeriodAt(new Date('2024-01-01T00:30:00+08:00'))).toBe('2023-12');
    expect(reportingPeriodAt(new Date('2023-12-31T16:30:00Z'))).toBe('2023-12');
    expect(reportingPeriodAt(new Date('2023-12-31T15:30:00Z'))).toBe('2023-11');
  });
});
