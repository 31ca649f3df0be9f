import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/draft-evaluation.ts';
import { fillDraft } from '../support/fill-draft.ts';
import { runCli } from '../support/run-cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'duban-catalog-draft-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const seedReport = path.join(FIXTURES, 'jiefang-2023-report.txt');

describe('duban catalog draft', () => {
  it('drafts the seed report into YAML that catalog check lists by its targets to fill, and accepts once filled', {
    timeout: 240_000,
  }, async () => {
    // Prepare
    const out = path.join(dir, 'draft.yaml');
    const filled = path.join(dir, 'filled.yaml');

    // Act
    const drafted = await runCli(['catalog', 'draft', seedReport, '--year', '2023', '--out', out]);
    const checked = await runCli(['catalog', 'check', out, '--data', path.join(dir, 'unused')]);
    await writeFile(filled, fillDraft(await readFile(out, 'utf8')));
    const accepted = await runCli(['catalog', 'check', filled, '--data', path.join(dir, 'unused')]);

    // Assess
    expect(drafted.code).toBe(0);
    expect(drafted.stdout).toMatch(/draft\.yaml: \d+ draft indicators for 解放区 2023/);
    const yaml = await readFile(out, 'utf8');
    expect(yaml).toContain('source: 全区地区生产总值完成177.3亿元');
    expect(yaml).toContain('测算目标：104.5 ÷ 145.5% = 71.82');
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain('indicators[0] (S1-GDP 地区生产总值): annual target still to fill');
    expect(checked.stderr).toContain(
      "(S1-MARKET-ENTITIES 市场主体总量): annual target and baseline (last year's level) still to fill",
    );
    expect(checked.stderr).not.toMatch(/^\s+at /m);
    expect(accepted.code).toBe(0);
  });

  it('--json lists every finding with its offset and confidence; a GB18030 report is converted', {
    timeout: 180_000,
  }, async () => {
    // Prepare
    const report = path.join(dir, 'longgang-gb.txt');
    await copyFile(path.join(FIXTURES, 'longgang-2013-gb18030.txt'), report);

    // Act
    const result = await runCli([
      'catalog',
      'draft',
      report,
      '--year',
      '2013',
      '--district',
      '龙岗区',
      '--out',
      path.join(dir, 'longgang.yaml'),
      '--json',
    ]);

    // Assess
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ ok: true, encoding: 'gb18030', district: '龙岗区', year: 2013 });
    const gdp = out.findings.find((f: { name: string }) => f.name === '地区生产总值');
    expect(gdp).toMatchObject({
      value: 2000,
      unit: '亿元',
      qualifier: '突破',
      targetBasis: 'to-fill',
      dept: 'fgw',
    });
    expect(gdp.confidence).toBeGreaterThan(0);
    expect(gdp.sentence.startsWith('预计全年实现地区生产总值突破2000亿元')).toBe(true);
  });

  it('rejects a missing report (2), a bad year (2) and a report with nothing for the year (1), writing nothing', {
    timeout: 180_000,
  }, async () => {
    // Prepare
    const out = path.join(dir, 'never.yaml');
    const empty = path.join(dir, 'no-figures.txt');
    await writeFile(empty, '一、2023年工作回顾\n各项工作扎实推进。\n');

    // Act
    const missing = await runCli([
      'catalog',
      'draft',
      path.join(dir, 'nope.txt'),
      '--year',
      '2023',
      '--out',
      out,
    ]);
    const badYear = await runCli(['catalog', 'draft', seedReport, '--year', '23', '--out', out]);
    const nothing = await runCli(['catalog', 'draft', empty, '--year', '2023', '--out', out, '--json']);

    // Assess
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.txt: cannot read the report (no such file)');
    expect(badYear.code).toBe(2);
    expect(badYear.stderr).toContain('--year must be a year such as 2023');
    expect(nothing.code).toBe(1);
    expect(JSON.parse(nothing.stdout)).toMatchObject({ ok: false, exitCode: 1 });
    expect(nothing.stderr).toContain('no figure or task for 2023 was found');
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });
});
