import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { handler } from '../../functions/ingest/handler.ts';
import { keys } from '../../functions/shared/storage-keys.ts';
import type { LocalAws } from '../../lib/local/local-aws.ts';
import { withLocalAws } from '../support/local-aws.ts';
import { type SeededRaw, seedRawUploads } from '../support/raw-uploads.ts';
import { runCli } from '../support/run-cli.ts';

// The CLI starts its own stand-ins on the data directory, so the test's are stopped between steps.
let dataDir: string;
let seeded: SeededRaw;

function withLocal<T>(work: (aws: LocalAws) => Promise<T>): Promise<T> {
  return withLocalAws({ dataDir, onObjectCreated: handler }, work);
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'duban-raw-cli-'));
  seeded = await withLocal(seedRawUploads);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('duban archive submissions | get-raw | verify', () => {
  it('lists the submission versions and downloads an original by prefix (exit 0)', async () => {
    // Prepare
    const out = path.join(dataDir, 'raw-download');

    // Act
    const list = await runCli(['--data', dataDir, 'archive', 'submissions', '--json']);
    const text = await runCli(['--data', dataDir, 'archive', 'submissions', '--period', '2023-06']);
    const get = await runCli([
      '--data',
      dataDir,
      'archive',
      'get-raw',
      seeded.juneV2.slice(0, 12),
      '--out',
      out,
    ]);

    // Assess
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout).submissions as { period: string; version: number; sha256: string }[];
    expect(rows.map((r) => [r.period, r.version, r.sha256])).toEqual([
      ['2023-07', 1, seeded.july],
      ['2023-06', 1, seeded.juneV1],
      ['2023-06', 2, seeded.juneV2],
    ]);
    expect(text.code).toBe(0);
    // Departments by name, times in Beijing time (#12).
    expect(text.stdout).toMatch(/2023-06 {2}发改委 {2}v2 {2}\d{4}-\d{2}-\d{2} \d{2}:\d{2} /);
    expect(text.stdout).toContain('更正 v1→v2: 重点项目完成投资');
    expect(text.stdout).not.toContain('ECO-FAI');
    expect(get.code).toBe(0);
    const bytes = await readFile(path.join(out, `fgw-2023-06-v2-${seeded.juneV2.slice(0, 12)}.xlsx`));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(seeded.juneV2);
  });

  it('refuses a prefix shorter than 12 characters as usage (exit 2) without a stack trace', async () => {
    // Act
    const bad = await runCli([
      '--data',
      dataDir,
      'archive',
      'get-raw',
      seeded.july.slice(0, 8),
      '--out',
      dataDir,
    ]);

    // Assess
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('prefix of at least 12');
    expect(bad.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('verify exits 0 on intact raw uploads and 1 naming a changed raw object and its submission', async () => {
    // Prepare
    const clean = await runCli(['--data', dataDir, 'archive', 'verify']);
    const changedKey = keys.raw(seeded.juneV1, 'xlsx');
    await withLocal(async (aws) => {
      const objects = createObjectStore();
      const bytes = await objects.get(aws.names.uploadsBucket, changedKey);
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      await objects.put(aws.names.uploadsBucket, changedKey, bytes);
    });

    // Act
    const tampered = await runCli(['--data', dataDir, 'archive', 'verify']);

    // Assess
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('raw uploads: 4 object(s), 3 submission version(s) checked');
    expect(clean.stdout).toContain('verdict: every check passed');
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('verdict: 1 finding(s)');
    expect(tampered.stdout).toMatch(
      new RegExp(`CHANGED {9}${changedKey} \\(.*the original of fgw 2023-06 v1\\)`),
    );
  });
});
