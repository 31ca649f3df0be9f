import { describe, expect, it } from 'vitest';
import { bulletinPeriodFor, dateLabel } from '../../../functions/core/bulletin/bulletin-period.ts';

describe('bulletinPeriodFor', () => {
  it.each([
    ['2024-01-05T08:00:00+08:00', '2023-12'],
    ['2024-01-31T23:30:00+08:00', '2023-12'],
    // Still January in UTC, already February in Beijing.
    ['2024-01-31T17:00:00Z', '2024-01'],
    ['2024-03-05T08:00:00+08:00', '2024-02'],
  ])('a run at %s builds %s', (at, period) => {
    // Act
    const got = bulletinPeriodFor(new Date(at));

    // Assess
    expect(got).toBe(period);
  });

  it('labels dates in Beijing time', () => {
    // Act
    const label = dateLabel(new Date('2024-01-04T16:30:00Z'));

    // Assess
    expect(label).toBe('2024年1月5日');
  });
});
