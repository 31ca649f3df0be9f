import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startDubanLocal } from '../support/run-cli.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('duban local', () => {
  it('prints endpoints and SDK variables, stops cleanly on SIGINT and SIGTERM, and keeps its data', async () => {
    // Prepare
    const dataDir = await mkdtemp(path.join(tmpdir(), 'duban-cli-local-'));
    dirs.push(dataDir);

    // Act
    const first = startDubanLocal(dataDir);
    const info = await first.started;
    const stateWhileRunning = existsSync(path.join(dataDir, 'local.json'));
    const second = await runCli(['local', '--data', dataDir]);
    const firstCode = await first.stop('SIGINT');
    const again = startDubanLocal(dataDir);
    await again.started;
    const againCode = await again.stop('SIGTERM');

    // Assess
    expect(info.endpoints.dynamodb).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.env.DUBAN_S3_ENDPOINT).toBe(info.endpoints.s3);
    expect(info.env.DUBAN_TABLE).toBeTruthy();
    expect(stateWhileRunning).toBe(true);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('already running');
    expect(firstCode).toBe(0);
    expect(againCode).toBe(0);
    expect(first.stderr()).toContain('stopped, data kept');
    expect(existsSync(path.join(dataDir, 'local.json'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'dynamodb'))).toBe(true);
  });
});

describe('duban CLI usage', () => {
  it('exits 0 for --help, 2 for an unknown command or a bad option', async () => {
    // Act
    const help = await runCli(['--help']);
    const unknown = await runCli(['frobnicate']);
    const badPort = await runCli(['local', '--port', 'abc']);

    // Assess
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: duban');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be an integer');
    expect(badPort.stderr).not.toMatch(/\n\s+at /);
  });
});
