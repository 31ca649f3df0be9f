import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogPath } from '../../functions/adapters/catalog-files.ts';
import { runCli, startDubanLocal } from '../support/run-cli.ts';

/**
 * `--aws` points the CLI at a deployed stack through the environment. Here the "stack" is a
 * `duban local` in another directory: the CLI must use exactly what the environment names and
 * start no stand-ins of its own.
 */
describe('duban --aws', () => {
  let dir = '';
  let stack: ReturnType<typeof startDubanLocal>;
  let env: Record<string, string> = {};

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'duban-aws-target-'));
    stack = startDubanLocal(path.join(dir, 'stack'));
    env = (await stack.started).env;
  });
  afterAll(async () => {
    await stack.stop('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('uses the table and buckets the environment names, without local stand-ins', async () => {
    // Prepare
    const unused = path.join(dir, 'never-created');

    // Act
    const loaded = await runCli(['--aws', '--data', unused, 'catalog', 'load', seedCatalogPath(), '--json'], {
      env,
    });
    const shown = await runCli(['catalog', 'show', '--aws', '--data', unused, '--json'], { env });

    // Assess
    expect(loaded.code).toBe(0);
    expect(JSON.parse(loaded.stdout)).toMatchObject({ ok: true, version: 1, unchanged: false });
    expect(shown.code).toBe(0);
    expect(existsSync(unused)).toBe(false);
  });

  it('exits 2 naming the missing variable when the stack is not named', async () => {
    // Prepare: only the region, as on a workstation with an AWS profile
    const bare = {
      DUBAN_TABLE: '',
      DUBAN_UPLOADS_BUCKET: '',
      DUBAN_ARCHIVE_BUCKET: '',
      AWS_REGION: 'cn-north-1',
    };

    // Act
    const result = await runCli(['--aws', 'archive', 'list'], { env: bare, cwd: dir });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DUBAN_TABLE');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(dir, '.duban'))).toBe(false);
  });

  it('is refused by the commands that only make sense locally', async () => {
    // Act
    const demo = await runCli(['demo', '--aws'], { cwd: dir });
    const local = await runCli(['local', '--aws'], { cwd: dir });

    // Assess
    expect([demo.code, local.code]).toEqual([2, 2]);
    expect(demo.stderr).toContain('--aws');
  });
});
