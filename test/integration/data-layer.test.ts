import { createHash } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { currentConfig, dynamoDocument } from '../../functions/adapters/aws-clients.ts';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import type { AuditEvent } from '../../functions/core/audit-event.ts';
import type { BulletinClaim } from '../../functions/core/bulletin/bulletin-run.ts';
import {
  CorruptRecordError,
  NotFoundError,
  ObjectExistsError,
  VersionConflictError,
} from '../../functions/core/errors.ts';
import type { Submission } from '../../functions/core/submission.ts';
import { itemKeys, keys } from '../../functions/shared/storage-keys.ts';
import { useLocalAws } from '../support/local-aws.ts';
import { tinyCatalog } from '../support/sample-catalog.ts';

const local = useLocalAws();
const now = new Date('2023-02-03T08:00:00.000Z');

function submission(overrides: Partial<Submission> = {}): Submission {
  return {
    dept: 'fgw',
    period: '2023-01',
    version: 1,
    catalogYear: 2023,
    catalogVersion: 1,
    values: [{ code: 'ECO-GDP', value: 14.2, note: '一月' }],
    sourceSha256: 'a'.repeat(64),
    rawKey: keys.raw('a'.repeat(64), 'xlsx'),
    sourceKey: keys.incoming({ dept: 'fgw', period: '2023-01', file: 'f.xlsx' }),
    uploader: 'fgw-uploader',
    receivedAt: now.toISOString(),
    status: 'accepted',
    ...overrides,
  };
}

describe('submissions', () => {
  it('stores versions side by side and answers latest, versions and the period', async () => {
    // Prepare
    const { submissions } = createStores();
    await submissions.put(submission());
    await submissions.put(submission({ version: 2, values: [{ code: 'ECO-GDP', value: 14.5 }] }));
    await submissions.put(submission({ dept: 'gxj', values: [{ code: 'IND-X', value: 3 }] }));

    // Act
    const latest = await submissions.latest('fgw', '2023-01');
    const versions = await submissions.versions('fgw', '2023-01');
    const period = await submissions.latestForPeriod('2023-01');
    const all = await submissions.allForPeriod('2023-01');

    // Assess
    expect(latest?.version).toBe(2);
    expect(latest?.values).toEqual([{ code: 'ECO-GDP', value: 14.5 }]);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]?.values[0]?.note).toBe('一月');
    expect(period.map((s) => [s.dept, s.version])).toEqual([
      ['fgw', 2],
      ['gxj', 1],
    ]);
    expect(all).toHaveLength(3);
    expect(await submissions.latest('fgw', '2023-02')).toBeUndefined();
  });

  it('gives a stale writer a typed conflict and keeps the first write', async () => {
    // Prepare
    const { submissions } = createStores();
    await submissions.put(submission({ period: '2023-03' }));

    // Act
    const stale = submissions.put(
      submission({ period: '2023-03', values: [{ code: 'ECO-GDP', value: 99 }] }),
    );

    // Assess
    await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
    expect((await submissions.latest('fgw', '2023-03'))?.values[0]?.value).toBe(14.2);
  });

  it('lets exactly one of two concurrent writers of the same version win', async () => {
    // Prepare
    const { submissions } = createStores();

    // Act
    const results = await Promise.allSettled([
      submissions.put(submission({ period: '2023-04', uploader: 'a' })),
      submissions.put(submission({ period: '2023-04', uploader: 'b' })),
    ]);

    // Assess
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(await submissions.versions('fgw', '2023-04')).toHaveLength(1);
  });
});

describe('audit log', () => {
  const event = (eventId: string, at: string, dept = 'fgw'): AuditEvent => ({
    eventId,
    at,
    action: 'submission.accepted',
    actor: 'fgw-uploader',
    period: '2023-05',
    dept,
    detail: { version: 1 },
  });

  it('appends once per event id and lists in time order, by period and by department', async () => {
    // Prepare
    const { audit } = createStores();

    // Act
    const first = await audit.append(event('e2', '2023-06-02T00:00:00Z'));
    const again = await audit.append(event('e2', '2023-06-02T00:00:00Z'));
    await audit.append(event('e1', '2023-06-01T00:00:00Z', 'gxj'));

    // Assess
    expect([first, again]).toEqual([true, false]);
    expect((await audit.list({ period: '2023-05' })).map((e) => e.eventId)).toEqual(['e1', 'e2']);
    expect((await audit.list({ dept: 'gxj' })).map((e) => e.eventId)).toEqual(['e1']);
    expect((await audit.list({})).length).toBeGreaterThanOrEqual(2);
  });
});

describe('bulletin ledger', () => {
  const claim = (version: number, period = '2023-12'): BulletinClaim => ({
    period,
    version,
    inputsHash: `h${version}`,
    catalogYear: 2023,
    catalogVersion: 1,
    submissionVersions: { fgw: version },
    claimedAt: now.toISOString(),
    folder: keys.bulletinFolder(period, version),
  });
  const manifestSha256 = 'd'.repeat(64);

  it('fences versions with a conditional claim', async () => {
    // Prepare
    const { ledger } = createStores();
    await ledger.claim(claim(1));

    // Act
    const duplicate = await ledger.claim(claim(1)).catch((error: unknown) => error);
    await ledger.claim(claim(2));

    // Assess
    expect(duplicate).toBeInstanceOf(VersionConflictError);
    expect((await ledger.runs('2023-12')).map((r) => [r.version, r.folder])).toEqual([
      [1, 'bulletins/2023/12/v1/'],
      [2, 'bulletins/2023/12/v2/'],
    ]);
  });

  it("adds up claim, archive and delivery into each version's state, once each", async () => {
    // Prepare
    const { ledger } = createStores();
    const at = now.toISOString();
    await ledger.claim(claim(1, '2023-11'));
    await ledger.claim(claim(2, '2023-11'));

    // Act
    await ledger.archived('2023-11', 1, { at, manifestSha256 });
    await ledger.archived('2023-11', 1, { at: 'later', manifestSha256 });
    await ledger.delivered('2023-11', 1, { at, messages: ['<m@test>'] });

    // Assess
    const runs = await ledger.runs('2023-11');
    expect(runs.map((r) => r.state)).toEqual(['delivered', 'claimed']);
    expect(runs[0]).toMatchObject({
      archived: { at, manifestSha256 },
      delivered: { messages: ['<m@test>'] },
    });
  });
});

describe('catalog versions', () => {
  it('stores a new version only when the content changes', async () => {
    // Prepare
    const { catalogs } = createStores();

    // Act
    const first = await catalogs.put(tinyCatalog(), now);
    const same = await catalogs.put(tinyCatalog(), now);
    const changed = await catalogs.put(tinyCatalog({ title: '修订后的目标' }), now);

    // Assess
    expect([first.version.version, first.unchanged]).toEqual([1, false]);
    expect([same.version.version, same.unchanged]).toEqual([1, true]);
    expect([changed.version.version, changed.unchanged]).toEqual([2, false]);
    expect((await catalogs.get(2023, 1))?.catalog.title).toBe('测试目标');
    expect((await catalogs.get(2023))?.catalog.title).toBe('修订后的目标');
    expect((await catalogs.list(2023)).map((c) => c.version)).toEqual([1, 2]);
  });
});

describe('object store', () => {
  it('puts with a sha256, reads back, heads, lists, and never overwrites when asked not to', async () => {
    // Prepare
    const objects = createObjectStore();
    const bucket = local.aws.names.archiveBucket;
    const key = 'bulletins/2023/01/v1/a.txt';

    // Act
    const sha = await objects.put(bucket, key, '通报', { contentType: 'text/plain', ifNoneMatch: true });
    const overwrite = await objects
      .put(bucket, key, 'changed', { ifNoneMatch: true })
      .catch((e: unknown) => e);

    // Assess
    expect(sha).toBe(createHash('sha256').update('通报', 'utf8').digest('hex'));
    expect(overwrite).toBeInstanceOf(ObjectExistsError);
    expect(Buffer.from(await objects.get(bucket, key)).toString('utf8')).toBe('通报');
    expect((await objects.head(bucket, key))?.metadata?.sha256).toBe(sha);
    expect(await objects.head(bucket, 'bulletins/none')).toBeUndefined();
    expect((await objects.list(bucket, 'bulletins/2023/')).map((o) => o.key)).toEqual([key]);
    await expect(objects.get(bucket, 'bulletins/none')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('stored items are parsed, not cast', () => {
  const putRaw = async (item: Record<string, unknown>) =>
    dynamoDocument().send(new PutCommand({ TableName: currentConfig().tableName, Item: item }));

  it('names the key of a submission item that is not a submission', async () => {
    // Prepare
    const key = itemKeys.submission({ dept: 'zjj', period: '2022-07', version: 1 });
    await putRaw({
      ...submission({ dept: 'zjj', period: '2022-07' }),
      pk: key.pk,
      sk: key.sk,
      values: 'garbled',
    });

    // Act
    const read = createStores().submissions.latest('zjj', '2022-07');

    // Assess
    await expect(read).rejects.toBeInstanceOf(CorruptRecordError);
    await expect(read).rejects.toThrow(`${key.pk} / ${key.sk}`);
    await expect(read).rejects.toThrow(/values/);
  });

  it('refuses a stored catalog whose content no longer hashes to its content hash', async () => {
    // Prepare
    const { catalogs } = createStores();
    const catalog = { ...tinyCatalog(), year: 2019 };
    const { version } = await catalogs.put(catalog, now);
    const key = itemKeys.catalog(2019, version.version);
    const edited = { ...catalog, title: '改过的标题' };
    await putRaw({
      pk: key.pk,
      sk: key.sk,
      year: 2019,
      version: version.version,
      contentHash: version.contentHash,
      catalogJson: JSON.stringify(edited),
      loadedAt: version.loadedAt,
    });

    // Act
    const read = catalogs.get(2019);

    // Assess
    await expect(read).rejects.toThrow(CorruptRecordError);
    await expect(read).rejects.toThrow(/CATALOG#2019 \/ V#0001.*contentHash/);
  });
});
