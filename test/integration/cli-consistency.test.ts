import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogPath } from '../../functions/adapters/catalog-files.ts';
import { runCli } from '../support/run-cli.ts';

/** #14 item 10: the CLI answers alike wherever a user meets it. */

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'duban-cli-consistency-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('duban help and version', () => {
  it('prints the help for a bare `duban` or command group, as --help does, and exits 0', async () => {
    // Act
    const bare = await runCli([]);
    const help = await runCli(['--help']);
    const group = await runCli(['archive']);
    const unknown = await runCli(['archive', 'frobnicate']);

    // Assess
    expect(bare.code).toBe(0);
    expect(bare.stdout).toBe(help.stdout);
    expect(bare.stdout).toContain('Usage: duban [options] [command]');
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('Usage: duban archive [options] [command]');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  it("prints the package's version for --version, and `archive get --version <n>` keeps its meaning", async () => {
    // Prepare
    const pkg = JSON.parse(
      await readFile(path.resolve(import.meta.dirname, '../../package.json'), 'utf8'),
    ) as {
      version: string;
    };

    // Act
    const version = await runCli(['--version']);
    const short = await runCli(['-V']);
    const getHelp = await runCli(['archive', 'get', '--help']);

    // Assess
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${pkg.version}\n`);
    expect(short.stdout).toBe(`${pkg.version}\n`);
    expect(getHelp.stdout).toContain('--version <n>');
  });

  it('lists the global options in every subcommand’s help', async () => {
    // Act
    const help = await runCli(['audit', 'log', '--help']);

    // Assess
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Global Options:');
    expect(help.stdout).toMatch(/--data <dir>/);
    expect(help.stdout).toMatch(/--json/);
    expect(help.stdout).toMatch(/--aws/);
  });
});

describe('names that point nowhere are usage errors (exit 2)', () => {
  const store = () => path.join(dir, 'store');

  beforeAll(async () => {
    const loaded = await runCli(['catalog', 'load', seedCatalogPath(2023), '--data', store()]);
    if (loaded.code !== 0) throw new Error(`catalog load exited ${loaded.code}: ${loaded.stderr}`);
  });

  it('refuses an unknown department listing the known ids and names, and takes a name without a period', async () => {
    // Act
    const unknown = await runCli(['audit', 'log', '--dept', 'xyz', '--data', store()]);
    const unknownName = await runCli(['archive', 'submissions', '--dept', '发展委', '--data', store()]);
    const byName = await runCli(['archive', 'submissions', '--dept', '发改委', '--data', store(), '--json']);
    const ingestUnknown = await runCli([
      'ingest',
      seedCatalogPath(2023),
      '--dept',
      'xyz',
      '--period',
      '2023-06',
      '--data',
      store(),
    ]);

    // Assess
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--dept "xyz" is not a department of the 2023 catalog (known: ');
    expect(unknown.stderr).toContain('fgw 发改委');
    expect(unknownName.code).toBe(2);
    expect(unknownName.stderr).toContain('--dept "发展委" is not a department');
    expect(byName.code).toBe(0);
    expect(JSON.parse(byName.stdout)).toEqual({ submissions: [] });
    expect(ingestUnknown.code).toBe(2);
    expect(ingestUnknown.stderr).toContain('fgw 发改委');
  });

  it('refuses a --data directory that is not there or holds no store, instead of finding nothing', async () => {
    // Prepare
    const empty = path.join(dir, 'empty');
    await mkdir(empty);

    // Act
    const missing = await runCli(['audit', 'log', '--data', '/does/not/exist']);
    const noStore = await runCli(['archive', 'submissions', '--data', empty, '--json']);

    // Assess
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--data /does/not/exist: no such directory');
    expect(missing.stderr).toContain('npx duban demo');
    expect(noStore.code).toBe(2);
    expect(JSON.parse(noStore.stdout)).toMatchObject({ ok: false, exitCode: 2 });
    expect(noStore.stderr).toContain('holds no duban store');
  });

  it('answers a missing file in ingest and an unknown sha256 in get-raw alike: exit 2, naming it', async () => {
    // Act
    const file = await runCli(['ingest', path.join(dir, 'nope.xlsx'), '--data', store()]);
    const hash = await runCli(['archive', 'get-raw', 'abcdef0123456789', '--out', dir, '--data', store()]);

    // Assess
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('nope.xlsx: cannot read the workbook (no such file)');
    expect(hash.code).toBe(2);
    expect(hash.stderr).toContain('no raw upload with sha256 abcdef0123456789');
    expect(`${file.stderr}${hash.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('prints its hints as `npx duban …`, which works outside npm scripts', async () => {
    // Act
    const none = await runCli(['catalog', 'show', '--year', '2031', '--data', store()]);

    // Assess
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('load one with: npx duban catalog load <file>');
  });
});
