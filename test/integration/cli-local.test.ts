import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/run-cli.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Starts `duban local --json`, waits for its endpoints line, returns it and a stopper. */
function startLocal(dataDir: string) {
  const child = spawn(process.execPath, [CLI, 'local', '--data', dataDir, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const started = new Promise<{ endpoints: { dynamodb: string; s3: string }; env: Record<string, string> }>(
    (resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] ?? ''));
      });
      child.once('close', (code) => reject(new Error(`duban local exited ${code}: ${stderr}`)));
    },
  );
  const stopped = new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    started,
    stop: (signal: NodeJS.Signals) => {
      child.kill(signal);
      return stopped;
    },
    stderr: () => stderr,
  };
}

describe('duban local', () => {
  it('prints endpoints and SDK variables, stops cleanly on SIGINT and SIGTERM, and keeps its data', async () => {
    // Prepare
    const dataDir = await mkdtemp(path.join(tmpdir(), 'duban-cli-local-'));
    dirs.push(dataDir);

    // Act
    const first = startLocal(dataDir);
    const info = await first.started;
    const stateWhileRunning = existsSync(path.join(dataDir, 'local.json'));
    const second = await runCli(['local', '--data', dataDir]);
    const firstCode = await first.stop('SIGINT');
    const again = startLocal(dataDir);
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
