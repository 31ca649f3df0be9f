import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogPath } from '../../functions/adapters/catalog-files.ts';
import { runCli } from '../support/run-cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'duban-catalog-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const seed = seedCatalogPath(2023);

describe('duban catalog check', () => {
  it('accepts the seed catalog without touching storage', async () => {
    // Act
    const result = await runCli(['catalog', 'check', seed, '--json', '--data', path.join(dir, 'unused')]);

    // Assess
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ ok: true, year: 2023, departments: 19, targetsToFill: [] });
    expect(out.indicators).toBeGreaterThanOrEqual(37);
    expect(out.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('exits 1 listing every problem, without a stack trace', async () => {
    // Prepare
    const text = (await readFile(seed, 'utf8'))
      .replace('kind: cumulative', 'kind: sideways')
      .replace('dept: sthj', 'dept: nowhere');
    const bad = path.join(dir, 'bad-2023.yaml');
    await writeFile(bad, text);

    // Act
    const result = await runCli(['catalog', 'check', bad]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'bad-2023.yaml: indicators[0] (ECO-GDP).kind: expected one of cumulative|stock|rate|rank|milestone|deadline|qualitative, got "sideways"',
    );
    expect(result.stderr).toContain(
      'bad-2023.yaml: indicators[42] (CITY-GOOD-AIR-DAYS).dept: unknown department "nowhere"',
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('exits 2 naming a file that is not there, as for an unknown sha256 or department', async () => {
    // Prepare
    const missing = path.join(dir, 'missing.yaml');

    // Act
    const result = await runCli(['catalog', 'check', missing, '--json']);

    // Assess
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      exitCode: 2,
      error: `${missing}: cannot read the catalog file (no such file)`,
    });
  });
});

describe('duban catalog load and show', () => {
  // Several CLI runs, each starting the local stand-ins: minutes on a busy 2-core machine.
  it('stores a version, ignores the same content, versions changed content and keeps the old one', {
    timeout: 240_000,
  }, async () => {
    // Prepare
    const data = path.join(dir, 'store');
    const changed = path.join(dir, 'changed-2023.yaml');
    await writeFile(changed, (await readFile(seed, 'utf8')).replace('target: 175\n', 'target: 176\n'));

    // Act
    const first = await runCli(['catalog', 'load', seed, '--data', data, '--json']);
    const again = await runCli(['--json', 'catalog', 'load', seed, '--data', data]);
    const second = await runCli(['catalog', 'load', changed, '--data', data, '--json']);
    const latest = await runCli(['catalog', 'show', '--year', '2023', '--data', data, '--json']);
    const old = await runCli(['catalog', 'show', '--catalog-version', '1', '--data', data, '--json']);
    const text = await runCli(['catalog', 'show', '--data', data]);

    // Assess
    expect([first.code, again.code, second.code, latest.code, old.code, text.code]).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
    expect(JSON.parse(first.stdout)).toMatchObject({ unchanged: false, version: 1 });
    expect(JSON.parse(again.stdout)).toMatchObject({ unchanged: true, version: 1 });
    expect(JSON.parse(second.stdout)).toMatchObject({ unchanged: false, version: 2 });
    const gdp = (out: string) =>
      (JSON.parse(out) as { indicators: { code: string; target: number }[] }).indicators.find(
        (i) => i.code === 'ECO-GDP',
      )?.target;
    expect(JSON.parse(latest.stdout).version).toBe(2);
    expect(gdp(latest.stdout)).toBe(176);
    expect(gdp(old.stdout)).toBe(175);
    expect(text.stdout).toContain(
      'DYN-KEY-PROJECT-INVESTMENT\t省市重点项目完成投资\t发展动能\t发改委\tcumulative\t71.82亿元\t104.5亿元\tderived',
    );
  });

  it('does not start storage for a file it rejects, and says when nothing is stored', {
    timeout: 240_000,
  }, async () => {
    // Prepare
    const data = path.join(dir, 'empty-store');

    // Act
    const rejected = await runCli(['catalog', 'load', path.join(dir, 'missing.yaml'), '--data', data]);
    const none = await runCli(['catalog', 'show', '--year', '2031', '--data', data]);

    // Assess
    expect(rejected.code).toBe(2);
    expect(existsSync(data)).toBe(false);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`--data ${data}: no such directory`);
  });
});

describe('duban catalog roll', () => {
  it("writes next year's draft that catalog check accepts, listing every target to fill (#12)", async () => {
    // Prepare
    const out = path.join(dir, '2024.yaml');

    // Act
    const rolled = await runCli(['catalog', 'roll', '--from', seed, '--year', '2024', '--out', out]);
    const checked = await runCli(['catalog', 'check', out, '--data', path.join(dir, 'unused')]);
    const json = await runCli(['catalog', 'check', out, '--json', '--data', path.join(dir, 'unused')]);

    // Assess
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toMatch(
      /2024\.yaml: 2024 draft from jiefang-2023\.yaml: \d+ indicators carried over, \d+ targets to fill/,
    );
    expect(rolled.stdout).toContain('CITY-JIAOWU-BRIDGE 焦武路大沙河桥');
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('2024.yaml: ok');
    expect(checked.stdout).toContain(
      'indicators[0] (ECO-GDP 地区生产总值, 发改委): target 177.3亿元 is a placeholder, still to fill / 年度目标待填',
    );
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ ok: true, year: 2024 });
    expect(report.targetsToFill).toHaveLength(report.indicators);
    expect(await readFile(out, 'utf8')).toContain('baseline: 177.3');
  });

  it('refuses a year that does not come after the catalog’s and a catalog file that is not there (2)', async () => {
    // Act
    const back = await runCli([
      'catalog',
      'roll',
      '--from',
      seed,
      '--year',
      '2023',
      '--out',
      path.join(dir, 'x.yaml'),
    ]);
    const missing = await runCli([
      'catalog',
      'roll',
      '--from',
      path.join(dir, 'nope.yaml'),
      '--year',
      '2024',
      '--out',
      path.join(dir, 'y.yaml'),
    ]);

    // Assess
    expect(back.code).toBe(2);
    expect(back.stderr).toContain("--year must come after the catalog's year 2023, got 2023");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml: cannot read the catalog file (no such file)');
    expect(back.stderr).not.toMatch(/^\s+at /m);
  });
});
