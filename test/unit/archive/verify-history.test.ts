import {
  GetObjectRetentionCommand,
  ListObjectVersionsCommand,
  type ObjectVersion,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3ObjectHistory } from '../../../functions/adapters/s3-object-history.ts';
import { verifyArchive } from '../../../functions/use-cases/archive/verify-archive.ts';
import { ARCHIVE, issuedArchive, type MemoryArchive, UPLOADS } from './memory-archive.ts';

/**
 * What only AWS can show: an object overwritten under Object Lock keeps its locked original
 * as an older version, a delete leaves a delete marker, and a lock can be too weak or too
 * short. The S3 client answers from the in-memory archive the real use case built, through
 * aws-sdk-client-mock; verify must name each such object.
 */

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

const JUNE1_PDF = 'bulletins/2023/06/v1/bulletin.pdf';
const FAR = new Date('2040-01-01T00:00:00Z');

interface Extra {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly deleteMarker?: boolean;
}

/** Every current object as the latest version of its key, plus the extra versions given. */
function answerVersions(a: MemoryArchive, extras: readonly Extra[] = []) {
  s3.on(ListObjectVersionsCommand).callsFake(async (input: { Bucket: string; Prefix: string }) => {
    const current = [...a.objects.objects.keys()]
      .filter((id) => id.startsWith(`${input.Bucket}/${input.Prefix}`))
      .map((id) => id.slice(input.Bucket.length + 1));
    const mine = extras.filter((e) => e.bucket === input.Bucket && e.key.startsWith(input.Prefix));
    const versions: ObjectVersion[] = [
      ...current.map((key) => ({ Key: key, VersionId: `v-${key}`, IsLatest: true })),
      ...mine
        .filter((e) => !e.deleteMarker)
        .map((e) => ({ Key: e.key, VersionId: e.versionId, IsLatest: false })),
    ];
    const markers = mine
      .filter((e) => e.deleteMarker)
      .map((e) => ({ Key: e.key, VersionId: e.versionId, IsLatest: false }));
    return { Versions: versions, DeleteMarkers: markers, IsTruncated: false };
  });
}

function compliantLocks(until: Date = FAR) {
  s3.on(GetObjectRetentionCommand).resolves({ Retention: { Mode: 'COMPLIANCE', RetainUntilDate: until } });
}

const verifyOnAws = (a: MemoryArchive) =>
  verifyArchive({ ...a.verifyDeps, history: new S3ObjectHistory(new S3Client({})), retentionYears: 10 });

describe('verify on AWS: object versions and Object Lock', () => {
  it('passes when every archived object has one version under a compliance lock long enough', async () => {
    // Prepare
    const a = await issuedArchive();
    answerVersions(a);
    compliantLocks();

    // Act
    const v = await verifyOnAws(a);

    // Assess
    expect(v.findings).toEqual([]);
    expect(v.history.checked).toBe(true);
    // Every archived object's lock: files, manifests and seals under bulletins/, originals in raw/.
    const archived = [...a.objects.objects.keys()].filter(
      (id) => id.startsWith(`${ARCHIVE}/bulletins/`) || id.startsWith(`${UPLOADS}/raw/`),
    );
    expect(v.history.locksChecked).toBe(archived.length);
    expect(
      s3
        .commandCalls(ListObjectVersionsCommand)
        .map((c) => c.args[0].input.Bucket)
        .sort(),
    ).toEqual([ARCHIVE, UPLOADS]);
  });

  it('OVERWRITTEN: an older version of a bulletin PDF and a delete marker on a raw upload', async () => {
    // Prepare
    const a = await issuedArchive();
    const sub = (await a.stores.submissions.latest('fgw', '2023-03')) ?? expect.fail('no fgw March');
    answerVersions(a, [
      { bucket: ARCHIVE, key: JUNE1_PDF, versionId: 'locked-original' },
      { bucket: UPLOADS, key: sub.rawKey, versionId: 'marker-1', deleteMarker: true },
    ]);
    compliantLocks();

    // Act
    const v = await verifyOnAws(a);

    // Assess
    expect(v.ok).toBe(false);
    expect(v.findings.map((f) => [f.kind, f.key, f.actual])).toEqual(
      expect.arrayContaining([
        ['OVERWRITTEN', JUNE1_PDF, 'locked-original'],
        ['OVERWRITTEN', sub.rawKey, 'marker-1'],
      ]),
    );
    expect(v.findings).toHaveLength(2);
  });

  it('RETENTION: a governance-mode lock, a lock shorter than issue + 10 years, and no lock at all', async () => {
    // Prepare
    const a = await issuedArchive();
    answerVersions(a);
    compliantLocks();
    const [governance, short, none] = [
      JUNE1_PDF,
      'bulletins/2023/05/v1/manifest.json',
      'bulletins/2023/06/v2/bulletin.xlsx',
    ];
    s3.on(GetObjectRetentionCommand, { Key: governance }).resolves({
      Retention: { Mode: 'GOVERNANCE', RetainUntilDate: FAR },
    });
    s3.on(GetObjectRetentionCommand, { Key: short }).resolves({
      Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date('2030-01-01T00:00:00Z') },
    });
    s3.on(GetObjectRetentionCommand, { Key: none }).rejects(
      new S3ServiceException({
        name: 'NoSuchObjectLockConfiguration',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: 'The specified object does not have a ObjectLock configuration',
      }),
    );

    // Act
    const v = await verifyOnAws(a);

    // Assess
    const retention = v.findings.filter((f) => f.kind === 'RETENTION');
    expect(retention.map((f) => [f.key, f.actual])).toEqual(
      expect.arrayContaining([
        [governance, `GOVERNANCE until ${FAR.toISOString()}`],
        [short, 'COMPLIANCE until 2030-01-01T00:00:00.000Z'],
        [none, 'no lock'],
      ]),
    );
    expect(retention).toHaveLength(3);
    expect(v.findings).toHaveLength(3);
  });

  it('fails the run (not a finding) when S3 refuses to list versions', async () => {
    // Prepare
    const a = await issuedArchive();
    s3.on(ListObjectVersionsCommand).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: {},
        message: 'Access Denied',
      }),
    );
    compliantLocks();

    // Act
    const run = verifyOnAws(a);

    // Assess
    await expect(run).rejects.toThrow('Access Denied');
  });
});
