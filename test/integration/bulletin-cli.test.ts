import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFile, seedCatalogPath } from '../../functions/adapters/catalog-files.ts';
import { isJudgedIn } from '../../functions/core/catalog/catalog-lookup.ts';
import { runCli } from '../support/run-cli.ts';

interface BulletinJson {
  status: 'issued' | 'unchanged';
  version: number;
  files: { name: string; sha256: string }[];
  statusCounts: Record<string, number>;
  headline: string[];
  mail: string[];
  out: string[];
}

describe('duban bulletin', () => {
  let dir = '';
  const cli = (...args: string[]) => runCli([...args, '--data', path.join(dir, 'data')], { cwd: dir });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'duban-bulletin-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('issues a month nobody reported as all 未报送, copies it to --out, then finds it unchanged', async () => {
    // Prepare
    expect((await cli('catalog', 'load', seedCatalogPath())).code).toBe(0);
    const out = path.join(dir, 'out');

    // Act
    const first = await cli('bulletin', '--period', '2023-01', '--out', out, '--json');
    const again = await cli('bulletin', '--json', '--period', '2023-01');

    // Assess
    expect(first.code).toBe(0);
    const issued = JSON.parse(first.stdout) as BulletinJson;
    expect(issued).toMatchObject({ status: 'issued', version: 1 });
    // Every indicator judged in January is 未报送; the rest are in their own not-judged class.
    const seed = await loadCatalogFile(seedCatalogPath());
    const judged = seed.indicators.filter((i) => isJudgedIn(i, 1)).length;
    expect(issued.statusCounts.未报送).toBe(judged);
    expect((issued.statusCounts.未到期 ?? 0) + (issued.statusCounts.本期不判定 ?? 0)).toBe(
      seed.indicators.length - judged,
    );
    expect(issued.headline[0]).toContain(`全区${seed.indicators.length}项指标中`);
    // The leaders' mail and one per department with its own slice.
    expect(issued.mail).toHaveLength(1 + seed.departments.length);
    for (const mail of issued.mail) expect(existsSync(mail)).toBe(true);
    const pdf = issued.files.find((f) => f.name === 'bulletin.pdf');
    const copiedPdf = issued.out.find((p) => p.endsWith('bulletin.pdf')) ?? '';
    expect(
      createHash('sha256')
        .update(await readFile(copiedPdf))
        .digest('hex'),
    ).toBe(pdf?.sha256);
    expect((await readdir(out, { recursive: true })).some((f) => String(f).endsWith('manifest.json'))).toBe(
      true,
    );
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'unchanged', version: 1, mail: [] });
  });

  it('exits 1 for a year without a catalog and 2 for a malformed period, without a stack trace', async () => {
    // Act
    const noCatalog = await cli('bulletin', '--period', '2030-01');
    const badPeriod = await cli('bulletin', '--period', '2023-13');

    // Assess
    expect(noCatalog.code).toBe(1);
    expect(noCatalog.stderr).toContain('2030');
    expect(badPeriod.code).toBe(2);
    expect(`${noCatalog.stderr}${badPeriod.stderr}`).not.toMatch(/\n\s+at /);
  });
});
