import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BulletinClaim } from '../../../functions/core/bulletin/bulletin-run.ts';
import { METRICS } from '../../../functions/shared/resources.ts';
import { checkBulletin } from '../../../functions/use-cases/bulletin/check-bulletin.ts';
import { seedCatalog, seedCatalogVersion } from '../../fixtures/bulletin/seed-inputs.ts';
import { packageCalendar } from '../../support/calendar.ts';
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
  return { ledger: stores.ledger, claim, archivedAt, deps: { ...stores, calendar: packageCalendar() } };
}

describe('daily bulletin check (the newest month whose bulletin day has passed)', () => {
  it('alarms for the month just closed when no run has claimed it', async () => {
    // Prepare
    const { ledger, claim, archivedAt, deps } = ledgerWith();
    await ledger.claim(claim('2023-02', 1));
    await ledger.archived('2023-02', 1, archivedAt);

    // Act
    const result = await checkBulletin(deps, new Date('2023-04-06T02:00:00Z'));

    // Assess
    expect(result).toEqual({ period: '2023-03', missing: true });
  });

  it('alarms when a run claimed the month but never archived it (the run died)', async () => {
    // Prepare
    const { ledger, claim, deps } = ledgerWith();
    await ledger.claim(claim('2023-03', 1));

    // Act
    const result = await checkBulletin(deps, new Date('2023-04-06T02:00:00Z'));

    // Assess
    expect(result).toEqual({ period: '2023-03', missing: true, unfinishedVersion: 1 });
  });

  it('reports the latest archived version and whether its mail went out', async () => {
    // Prepare
    const { ledger, claim, archivedAt, deps } = ledgerWith();
    await ledger.claim(claim('2023-03', 1));
    await ledger.archived('2023-03', 1, archivedAt);
    await ledger.delivered('2023-03', 1, { at: archivedAt.at, messages: ['<1@test>'] });
    await ledger.claim(claim('2023-03', 2));
    await ledger.archived('2023-03', 2, archivedAt);

    // Act
    const result = await checkBulletin(deps, new Date('2023-04-06T02:00:00Z'));

    // Assess
    expect(result).toEqual({ period: '2023-03', missing: false, latestVersion: 2, delivered: false });
  });

  it('names a re-issue that died after an earlier version went out, without alarming', async () => {
    // Prepare
    const { ledger, claim, archivedAt, deps } = ledgerWith();
    await ledger.claim(claim('2023-03', 1));
    await ledger.archived('2023-03', 1, archivedAt);
    await ledger.claim(claim('2023-03', 2));

    // Act
    const result = await checkBulletin(deps, new Date('2023-04-06T02:00:00Z'));

    // Assess
    expect(result).toMatchObject({ missing: false, latestVersion: 1, unfinishedVersion: 2 });
  });

  it('follows the catalog rule on the official calendar: September 2023 is looked at from Sunday 8 October 09:00', async () => {
    // Prepare: the due day moved to Saturday 7 October (国庆节), the bulletin to Sunday 8 October 08:00.
    const { deps } = ledgerWith();

    // Act
    const early = await checkBulletin(deps, new Date('2023-10-08T00:30:00Z'));
    const after = await checkBulletin(deps, new Date('2023-10-08T01:00:00Z'));

    // Assess
    expect(early?.period).toBe('2023-08');
    expect(after?.period).toBe('2023-09');
  });

  it('expects nothing where no catalog covers the months around', async () => {
    // Act
    const result = await checkBulletin(ledgerWith().deps, new Date('2020-05-06T02:00:00Z'));

    // Assess
    expect(result).toBeUndefined();
  });
});

describe('monthly check handler', () => {
  const ENVIRONMENT = {
    DUBAN_TABLE: 'duban-test-main',
    DUBAN_UPLOADS_BUCKET: 'uploads',
    DUBAN_ARCHIVE_BUCKET: 'archive',
    DUBAN_STAGE: 'prod',
    AWS_REGION: 'cn-north-1',
    POWERTOOLS_METRICS_DISABLED: 'false',
  };
  const saved = { ...process.env };

  beforeEach(() => {
    vi.resetModules();
    Object.assign(process.env, ENVIRONMENT);
  });

  afterEach(() => {
    process.env = { ...saved };
    vi.restoreAllMocks();
  });

  /** Runs the handler over a ledger partition; returns its answer and the metric lines it printed. */
  async function runCheck(items: Record<string, unknown>[]) {
    const { resetClients, dynamoDocument } = await import('../../../functions/adapters/aws-clients.ts');
    resetClients();
    const dynamo = mockClient(dynamoDocument());
    dynamo.on(QueryCommand).resolves({ Items: items });
    // The check reads the year's catalog for its rule on the official calendar.
    const catalog = seedCatalogVersion(seedCatalog());
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'CATALOG#2023' } }).resolves({
      Items: [
        {
          pk: 'CATALOG#2023',
          sk: 'V#0001',
          year: 2023,
          version: 1,
          contentHash: catalog.contentHash,
          catalogJson: JSON.stringify(catalog.catalog),
          loadedAt: catalog.loadedAt,
        },
      ],
    });
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'CATALOG#2024' } }).resolves({ Items: [] });
    const printed: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    const { handler } = await import('../../../functions/bulletin-check/handler.ts');
    const result = await handler({ scheduledTime: '2023-07-06T00:00:00Z' }, { awsRequestId: 'req-1' });
    vi.mocked(process.stdout.write).mockRestore();
    const metrics = printed
      .flatMap((line) => line.split('\n'))
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l));
    return { result, metrics, queried: dynamo.commandCalls(QueryCommand) };
  }

  it('emits BulletinMissing 1, with the service and stage the alarm watches, for a claim never archived', async () => {
    // Prepare
    const claim = { pk: 'BULLETIN#2023-06', sk: 'V#0001', entry: 'claim', period: '2023-06', version: 1 };
    const items = [
      {
        ...claim,
        inputsHash: 'h',
        catalogYear: 2024,
        catalogVersion: 1,
        submissionVersions: {},
        claimedAt: 't',
        folder: 'f',
      },
    ];

    // Act
    const { result, metrics, queried } = await runCheck(items);

    // Assess
    expect(queried.map((q) => q.args[0].input.ExpressionAttributeValues?.[':pk'])).toContain(
      'BULLETIN#2023-06',
    );
    expect(result).toMatchObject({ period: '2023-06', missing: true, unfinishedVersion: 1 });
    expect(metrics).toHaveLength(1);
    const emf = metrics[0];
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: METRICS.namespace,
      Metrics: [{ Name: METRICS.bulletinMissing, Unit: 'Count' }],
    });
    expect(emf._aws.CloudWatchMetrics[0].Dimensions[0].sort()).toEqual(
      [METRICS.serviceDimension, METRICS.stageDimension].sort(),
    );
    expect(emf[METRICS.serviceDimension]).toBe(METRICS.services.bulletinCheck);
    expect(emf[METRICS.stageDimension]).toBe('prod');
    expect(emf[METRICS.bulletinMissing]).toBe(1);
  });

  it('emits BulletinMissing 0 once the month is archived', async () => {
    // Prepare
    const base = { pk: 'BULLETIN#2023-06', period: '2023-06', version: 1 };
    const items = [
      {
        ...base,
        sk: 'V#0001',
        entry: 'claim',
        inputsHash: 'h',
        catalogYear: 2024,
        catalogVersion: 1,
        submissionVersions: {},
        claimedAt: 't',
        folder: 'f',
      },
      { ...base, sk: 'V#0001#ARCHIVED', entry: 'archived', at: 't', manifestSha256: SHA },
    ];

    // Act
    const { result, metrics } = await runCheck(items);

    // Assess
    expect(result).toMatchObject({ missing: false, latestVersion: 1 });
    expect(metrics[0]?.[METRICS.bulletinMissing]).toBe(0);
  });
});
