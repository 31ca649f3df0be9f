import { describe, expect, it } from 'vitest';
import { bulletinEventSchema, periodsOf } from '../../../functions/bulletin/handler.ts';
import {
  DEFAULT_DEADLINES,
  fitDeadlines,
  PHASES,
} from '../../../functions/use-cases/bulletin/phase-deadline.ts';
import { seedCatalog, seedCatalogVersion } from '../../fixtures/bulletin/seed-inputs.ts';
import { packageCalendar } from '../../support/calendar.ts';
import { memoryStores } from './memory-stores.ts';

const deps = { ...memoryStores(seedCatalogVersion(seedCatalog())), calendar: packageCalendar() };

describe('bulletin handler event', () => {
  it('acts only in the hour the catalog rule gives: September 2023 on Sunday 8 October, 08:00 (调休)', async () => {
    // Prepare
    const tick = (at: string) => bulletinEventSchema.parse({ source: 'duban.schedule', scheduledTime: at });

    // Act
    const onTheHour = await periodsOf(tick('2023-10-08T00:00:00Z'), deps, new Date('2030-01-01'));
    const hourBefore = await periodsOf(tick('2023-10-07T23:00:00Z'), deps, new Date('2030-01-01'));
    const onThe5th = await periodsOf(tick('2023-10-05T00:00:00Z'), deps, new Date('2030-01-01'));

    // Assess
    expect(onTheHour).toEqual(['2023-09']);
    expect(hourBefore).toEqual([]);
    expect(onThe5th).toEqual([]);
  });

  it('takes an explicit period for a re-run; a bare invoke reports the month before now', async () => {
    // Act
    const override = await periodsOf(
      bulletinEventSchema.parse({ scheduledTime: '2024-01-05T00:00:00Z', period: '2023-06' }),
      deps,
      new Date(),
    );
    const bare = await periodsOf(bulletinEventSchema.parse({}), deps, new Date('2024-05-05T00:00:00+08:00'));

    // Assess
    expect([override, bare]).toEqual([['2023-06'], ['2024-04']]);
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
