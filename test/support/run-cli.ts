import { spawn } from 'node:child_process';
import path from 'node:path';

export const CLI = path.resolve(import.meta.dirname, '../../bin/duban.mjs');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the `duban` CLI in a child process, as a user would. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // No input is an empty standard input, as from /dev/null.
    child.stdin.end(options.input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // A last resort against a hung CLI, inside the integration project's 300 s per test.
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts `duban local --json`, waits for its endpoints line, returns it and a stopper. */
export function startDubanLocal(dataDir: string) {
  return startCliServer<{ endpoints: { dynamodb: string; s3: string }; env: Record<string, string> }>([
    'local',
    '--data',
    dataDir,
  ]);
}

/** Starts a long-running command with --json, waits for its first stdout line, returns it and a stopper. */
export function startCliServer<T>(args: readonly string[]) {
  const child = spawn(process.execPath, [CLI, ...args, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const started = new Promise<T>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] ?? '') as T);
    });
    child.once('close', (code) => reject(new Error(`duban ${args[0]} exited ${code}: ${stderr}`)));
  });
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
