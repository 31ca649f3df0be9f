import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStoreArchive } from '../../functions/adapters/archive.ts';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { ObjectExistsError } from '../../functions/core/errors.ts';
import { manifestContent, pdfFile } from '../support/archive-manifest.ts';
import { withLocalAws } from '../support/local-aws.ts';
import { runCli } from '../support/run-cli.ts';

// The auditor's path: the CLI starts its own stand-ins on a data directory, so each step
// here runs with the stand-ins of the test stopped.
let dataDir: string;

async function withArchive<T>(
  work: (archive: ObjectStoreArchive, store: S3ObjectStore, bucket: string) => Promise<T>,
) {
  return withLocalAws({ dataDir }, (aws) => {
    const store = new S3ObjectStore();
    return work(new ObjectStoreArchive(store, aws.names.archiveBucket), store, aws.names.archiveBucket);
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'duban-archive-'));
  await withArchive(async (archive) => {
    const stored = [
      await archive.writeVersion(manifestContent(1), [
        pdfFile('bulletin.pdf', '%PDF one'),
        pdfFile('depts/fgw.pdf', '%PDF fgw'),
      ]),
      await archive.writeVersion(manifestContent(2), [
        pdfFile('bulletin.pdf', '%PDF two'),
        pdfFile('depts/fgw.pdf', '%PDF fgw 2'),
      ]),
    ];
    // Each issue was recorded in the audit log, as duban did before the chain existed.
    const { audit } = createStores();
    for (const v of stored) {
      const { period, version, generatedAt } = v.manifest;
      await audit.append({
        eventId: `bulletin.issued#${period}#v${version}`,
        at: generatedAt,
        action: 'bulletin.issued',
        actor: 'bulletin',
        period,
        detail: { version, manifestSha256: v.manifestSha256 },
      });
    }
  });
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('duban archive', () => {
  it('lists the versions and downloads one with its manifest', async () => {
    // Prepare
    const out = path.join(dataDir, 'download');

    // Act
    const list = await runCli(['--data', dataDir, 'archive', 'list', '--json']);
    const get = await runCli([
      '--data',
      dataDir,
      'archive',
      'get',
      '2023-12',
      '--version',
      '1',
      '--out',
      out,
    ]);

    // Assess
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(get.code).toBe(0);
    expect(await readFile(path.join(out, 'depts', 'fgw.pdf'), 'utf8')).toBe('%PDF fgw');
    expect(JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')).version).toBe(1);
  });

  it('never overwrites an archived version', async () => {
    // Act
    const again = withArchive((archive) =>
      archive.writeVersion(manifestContent(1), [pdfFile('bulletin.pdf', '%PDF other')]),
    );

    // Assess
    await expect(again).rejects.toBeInstanceOf(ObjectExistsError);
  });

  it('links an archive that predates the chain once; verify then passes and names a changed byte', async () => {
    // Prepare: the two versions above were written the way duban wrote them before the chain.
    const unlinked = await runCli(['--data', dataDir, 'archive', 'verify', '--json']);
    const init = await runCli(['--data', dataDir, 'archive', 'chain', '--init']);
    const again = await runCli(['--data', dataDir, 'archive', 'chain', '--init']);
    const clean = await runCli(['--data', dataDir, 'archive', 'verify']);
    await withArchive(async (_archive, store, bucket) => {
      const key = 'bulletins/2023/12/v2/depts/fgw.pdf';
      const bytes = await store.get(bucket, key);
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      await store.put(bucket, key, bytes);
    });

    // Act
    const tampered = await runCli(['--data', dataDir, 'archive', 'verify', '--json']);

    // Assess
    expect(unlinked.code).toBe(1);
    expect(JSON.parse(unlinked.stdout).findings.map((f: { kind: string }) => f.kind)).toContain('ORPHAN');
    expect(init.code).toBe(0);
    expect(again.code).toBe(1);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('chain: 2 link(s), 2 sealed');
    expect(clean.stdout).toContain('verdict: every check passed');
    expect(tampered.code).toBe(1);
    const report = JSON.parse(tampered.stdout);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      expect.objectContaining({ key: 'bulletins/2023/12/v2/depts/fgw.pdf', kind: 'CHANGED' }),
    ]);
  });

  it('rejects a malformed period as usage (exit 2) without a stack trace', async () => {
    // Act
    const bad = await runCli(['--data', dataDir, 'archive', 'list', '--period', '2023-13']);

    // Assess
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--period must be YYYY-MM');
    expect(bad.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
