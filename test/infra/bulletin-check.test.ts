import { describe, expect, it } from 'vitest';
import { checkBulletin, missingBulletinMetric } from '../../functions/bulletin-check/handler.ts';
import type { AuditAction, AuditEvent } from '../../functions/core/ports.ts';
import { METRICS } from '../../functions/shared/resources.ts';

/** The one AuditLog method the check uses, over a fixed set of events. */
function storeWith(events: AuditEvent[]) {
  const asked: (string | undefined)[] = [];
  return {
    asked,
    async list(filter: { period?: string }) {
      asked.push(filter.period);
      return events.filter((e) => e.period === filter.period);
    },
  };
}

const record = (period: string, version: number, action: AuditAction = 'bulletin.issued'): AuditEvent => ({
  eventId: `${action}#${period}#v${version}`,
  at: '2024-04-05T00:00:10.000Z',
  action,
  actor: 'scheduler',
  period,
  detail: { version },
});

describe('monthly bulletin check (the 6th, 08:00 Beijing time)', () => {
  it('reports the month just closed as missing when no bulletin exists for it', async () => {
    // Prepare
    const store = storeWith([record('2024-02', 1)]);

    // Act
    const result = await checkBulletin(store, new Date('2024-04-06T00:00:00Z'));

    // Assess
    expect(store.asked).toEqual(['2024-03']);
    expect(result).toEqual({ period: '2024-03', missing: true });
  });

  it('reports the latest version when the bulletin exists', async () => {
    // Prepare
    const store = storeWith([record('2024-03', 1), record('2024-03', 2)]);

    // Act
    const result = await checkBulletin(store, new Date('2024-04-06T00:00:00Z'));

    // Assess
    expect(result).toEqual({ period: '2024-03', missing: false, latestVersion: 2 });
  });

  it('does not count a version that was claimed but never issued (its run died)', async () => {
    // Prepare
    const store = storeWith([record('2024-03', 1, 'bulletin.failed')]);

    // Act
    const result = await checkBulletin(store, new Date('2024-04-06T00:00:00Z'));

    // Assess
    expect(result).toEqual({ period: '2024-03', missing: true });
  });

  it('checks December on the 6th of January, in Beijing time even when UTC is still on the 5th', async () => {
    // Prepare
    const store = storeWith([]);

    // Act
    const result = await checkBulletin(store, new Date('2024-01-05T16:30:00Z'));

    // Assess
    expect(result.period).toBe('2023-12');
  });

  it('emits 0 or 1 as an embedded metric in the namespace and dimension the alarm watches', () => {
    // Act
    const present = JSON.parse(
      missingBulletinMetric('prod', { period: '2024-03', missing: false, latestVersion: 1 }, new Date(0)),
    );
    const missing = JSON.parse(
      missingBulletinMetric('prod', { period: '2024-03', missing: true }, new Date(0)),
    );

    // Assess
    expect(present._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS.namespace,
        Dimensions: [[METRICS.stageDimension]],
        Metrics: [{ Name: METRICS.bulletinMissing, Unit: 'Count' }],
      },
    ]);
    expect(present[METRICS.stageDimension]).toBe('prod');
    expect([present[METRICS.bulletinMissing], missing[METRICS.bulletinMissing]]).toEqual([0, 1]);
  });
});
