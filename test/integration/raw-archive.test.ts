import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../functions/adapters/aws-clients.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { composeRawArchive, composeVerifier } from '../../functions/bulletin/compose-bulletin.ts';
import { NotFoundError, UsageError } from '../../functions/core/errors.ts';
import { handler } from '../../functions/ingest/handler.ts';
import { keys } from '../../functions/shared/storage-keys.ts';
import { RawUploadChangedError } from '../../functions/use-cases/archive/raw-uploads.ts';
import { useLocalAws } from '../support/local-aws.ts';
import { type SeededRaw, seedRawUploads } from '../support/raw-uploads.ts';

const local = useLocalAws({ onObjectCreated: handler });
let seeded: SeededRaw;

beforeAll(async () => {
  seeded = await seedRawUploads(local.aws);
});

describe('raw uploads for auditors', () => {
  it('lists every submission version newest period first, with the codes a correction changed', async () => {
    // Act
    const all = await composeRawArchive().listSubmissions();
    const june = await composeRawArchive().listSubmissions({ period: '2023-06', dept: 'fgw' });
    const otherDept = await composeRawArchive().listSubmissions({ dept: 'gxj' });

    // Assess
    expect(all.map((s) => [s.period, s.version, s.uploader, s.sourceSha256])).toEqual([
      ['2023-07', 1, 'li', seeded.july],
      ['2023-06', 1, 'li', seeded.juneV1],
      ['2023-06', 2, 'wang', seeded.juneV2],
    ]);
    expect(all[2]?.rawKey).toBe(keys.raw(seeded.juneV2, 'xlsx'));
    expect(all[2]?.correction?.changes.map((c) => c.code)).toEqual(['ECO-FAI']);
    expect(june.map((s) => s.version)).toEqual([1, 2]);
    expect(otherDept).toEqual([]);
  });

  it('gets an original by sha256 or a unique 12-character prefix, named after its submission', async () => {
    // Act
    const full = await composeRawArchive().getRaw(seeded.juneV2);
    const byPrefix = await composeRawArchive().getRaw(seeded.juneV2.slice(0, 12).toUpperCase());
    const rejected = await composeRawArchive().getRaw(seeded.rejected);

    // Assess
    expect(full.fileName).toBe(`fgw-2023-06-v2-${seeded.juneV2.slice(0, 12)}.xlsx`);
    expect(full.key).toBe(keys.raw(seeded.juneV2, 'xlsx'));
    expect(byPrefix.sha256).toBe(seeded.juneV2);
    expect(byPrefix.body).toEqual(full.body);
    expect(rejected.fileName).toBe(`${seeded.rejected.slice(0, 12)}.xlsx`);
    expect(rejected.submissions).toEqual([]);
  });

  it('refuses a short prefix and an unknown hash', async () => {
    // Act
    const short = await composeRawArchive()
      .getRaw(seeded.july.slice(0, 11))
      .catch((e: unknown) => e);
    const unknown = await composeRawArchive()
      .getRaw('0'.repeat(64))
      .catch((e: unknown) => e);

    // Assess
    expect(short).toBeInstanceOf(UsageError);
    expect(unknown).toBeInstanceOf(NotFoundError);
  });

  it('verify passes on intact raw uploads, then names a changed byte and a missing object', async () => {
    // Prepare
    const clean = await composeVerifier()();
    const bucket = local.aws.names.uploadsBucket;
    const objects = createObjectStore();
    const changedKey = keys.raw(seeded.juneV1, 'xlsx');
    const bytes = await objects.get(bucket, changedKey);
    bytes[100] = (bytes[100] ?? 0) ^ 0x01;
    await objects.put(bucket, changedKey, bytes);
    const missingKey = keys.raw(seeded.july, 'xlsx');
    await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: missingKey }));

    // Act
    const tampered = await composeVerifier()();
    const julyOnly = await composeVerifier()({ period: '2023-07' });
    const get = await composeRawArchive()
      .getRaw(seeded.juneV1)
      .catch((e: unknown) => e);

    // Assess
    expect(clean).toMatchObject({
      ok: true,
      raw: { rawObjectsChecked: 4, submissionsChecked: 3 },
      findings: [],
    });
    // Findings come sorted by key, and these keys are sha256 of workbooks that carry their save time.
    const changed = tampered.findings.find((f) => f.kind === 'CHANGED');
    const missing = tampered.findings.find((f) => f.kind === 'MISSING');
    expect(tampered.findings).toHaveLength(2);
    expect(changed).toMatchObject({ key: changedKey, expected: seeded.juneV1 });
    expect(changed?.actual).not.toBe(seeded.juneV1);
    expect(missing?.key).toBe(missingKey);
    expect(missing?.line).toContain('fgw 2023-07 v1');
    expect(julyOnly.findings.map((f) => [f.kind, f.key])).toEqual([['MISSING', missingKey]]);
    expect(get).toBeInstanceOf(RawUploadChangedError);
  });
});
