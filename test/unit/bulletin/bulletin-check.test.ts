import { describe, expect, it } from 'vitest';
import { missingBulletinMetric } from '../../../functions/bulletin-check/handler.ts';
import type { BulletinClaim } from '../../../functions/core/bulletin/bulletin-run.ts';
import { METRICS } from '../../../functions/shared/resources.ts';
import { checkBulletin } from '../../../functions/use-cases/bulletin/check-bulletin.ts';
import { seedCatalog, seedCatalogVersion } from '../../fixtures/bulletin/seed-inputs.ts';
import { memoryStores } from './memory-stores.ts';

const SHA = 'c'.repeat(64);

/** The ledger the bulletin run writes, with the runs of a few months. */
function ledgerWith() {
  const stores = memoryStores(seedCatalogVersion(seedCatalog()));
  const claim = (period: string, version: number): BulletinClaim => ({
    period,
    version,
    inputsHash: `inputs-${version}`,
    catalogYear: 2024,
    catalogVersion: 1,
    submissionVersions: {},
    claimedAt: '2024-04-05T00:00:00.000Z',
    folder: `bulletins/${period.replace('-', '/')}/v${version}/`,
  });
  const archivedAt = { at: '2024-04-05T00:01:00.000Z', manifestSha256: SHA };
  return { ledger: stores.ledger, claim, archivedAt };
}

describe('monthly bulletin check (the 6th, 08:00 Beijing time)', () => {
  it('alarms for the month just closed when no run has claimed it', async () => {
    // Prepare
    const { ledger, claim, archivedAt } = ledgerWith();
    await ledger.claim(claim('2024-02', 1));
    await ledger.archived('2024-02', 1, archivedAt);

    // Act
    const result = await checkBulletin(ledger, new Date('2024-04-06T00:00:00Z'));

    // Assess
    expect(result).toEqual({ period: '2024-03', missing: true });
  });

  it('alarms when a run claimed the month but never archived it (the run died)', async () => {
    // Prepare
    const { ledger, claim } = ledgerWith();
    await ledger.claim(claim('2024-03', 1));

    // Act
    const result = await checkBulletin(ledger, new Date('2024-04-06T00:00:00Z'));

    // Assess
    expect(result).toEqual({ period: '2024-03', missing: true, unfinishedVersion: 1 });
  });

  it('reports the latest archived version and whether its mail went out', async () => {
    // Prepare
    const { ledger, claim, archivedAt } = ledgerWith();
    await ledger.claim(claim('2024-03', 1));
    await ledger.archived('2024-03', 1, archivedAt);
    await ledger.delivered('2024-03', 1, { at: archivedAt.at, messages: ['<1@test>'] });
    await ledger.claim(claim('2024-03', 2));
    await ledger.archived('2024-03', 2, archivedAt);

    // Act
    const result = await checkBulletin(ledger, new Date('2024-04-06T00:00:00Z'));

    // Assess
    expect(result).toEqual({ period: '2024-03', missing: false, latestVersion: 2, delivered: false });
  });

  it('names a re-issue that died after an earlier version went out, without alarming', async () => {
    // Prepare
    const { ledger, claim, archivedAt } = ledgerWith();
    await ledger.claim(claim('2024-03', 1));
    await ledger.archived('2024-03', 1, archivedAt);
    await ledger.claim(claim('2024-03', 2));

    // Act
    const result = await checkBulletin(ledger, new Date('2024-04-06T00:00:00Z'));

    // Assess
    expect(result).toMatchObject({ missing: false, latestVersion: 1, unfinishedVersion: 2 });
  });

  it('checks December on the 6th of January, in Beijing time even when UTC is still on the 5th', async () => {
    // Prepare
    const { ledger } = ledgerWith();

    // Act
    const result = await checkBulletin(ledger, new Date('2024-01-05T16:30:00Z'));

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
