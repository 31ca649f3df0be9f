import { describe, expect, it } from 'vitest';
import { bulletinEventSchema, periodOf } from '../../../functions/bulletin/handler.ts';
import {
  DEFAULT_DEADLINES,
  fitDeadlines,
  PHASES,
} from '../../../functions/use-cases/bulletin/phase-deadline.ts';

describe('bulletin handler event', () => {
  it('builds the previous month in Beijing time from the scheduler time', () => {
    // Prepare
    const event = bulletinEventSchema.parse({
      source: 'duban.schedule',
      scheduledTime: '2024-01-05T00:00:00Z',
    });

    // Act
    const period = periodOf(event, new Date('2030-01-01T00:00:00Z'));

    // Assess
    expect(period).toBe('2023-12');
  });

  it('takes an explicit period for a re-run, and an EventBridge rule time', () => {
    // Act
    const override = periodOf(
      bulletinEventSchema.parse({ scheduledTime: '2024-01-05T00:00:00Z', period: '2023-06' }),
      new Date(),
    );
    const rule = periodOf(bulletinEventSchema.parse({ time: '2024-03-04T17:00:00Z' }), new Date());
    const bare = periodOf(bulletinEventSchema.parse({}), new Date('2024-05-05T00:00:00+08:00'));

    // Assess
    expect([override, rule, bare]).toEqual(['2023-06', '2024-02', '2024-04']);
  });

  it('rejects a malformed period', () => {
    // Act
    const parse = () => bulletinEventSchema.parse({ period: '2023-13' });

    // Assess
    expect(parse).toThrow(/YYYY-MM/);
  });
});

describe('fitDeadlines', () => {
  it('keeps the defaults when the invocation has time for all of them', () => {
    expect(fitDeadlines(DEFAULT_DEADLINES, 15 * 60_000)).toEqual(DEFAULT_DEADLINES);
  });

  it('scales every phase down to fit what is left, less a margin', () => {
    // Act
    const fitted = fitDeadlines(DEFAULT_DEADLINES, 120_000);

    // Assess
    const total = PHASES.reduce((sum, p) => sum + fitted[p], 0);
    expect(total).toBeLessThanOrEqual(115_000);
    expect(total).toBeGreaterThan(114_000);
    expect(fitted.render / fitted.load).toBeCloseTo(DEFAULT_DEADLINES.render / DEFAULT_DEADLINES.load, 1);
  });
});
