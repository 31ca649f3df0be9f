import { readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';

/**
 * `duban local` records where its stand-ins listen in <data>/local.json, so that other
 * commands on the same data directory use them instead of opening the same LevelDB twice.
 */
export interface LocalState {
  readonly pid: number;
  readonly endpoints: { readonly dynamodb: string; readonly s3: string };
  readonly env: Readonly<Record<string, string>>;
  readonly startedAt: string;
}

export const stateFile = (dataDir: string) => path.join(path.resolve(dataDir), 'local.json');

export async function writeLocalState(dataDir: string, state: LocalState): Promise<void> {
  await writeFile(stateFile(dataDir), `${JSON.stringify(state, null, 2)}\n`);
}

/** Records the stand-ins this process serves on `dataDir`, so other commands on it join them. */
export async function announceLocal(
  dataDir: string,
  local: Pick<LocalState, 'endpoints' | 'env'>,
): Promise<void> {
  await writeLocalState(dataDir, {
    pid: process.pid,
    endpoints: local.endpoints,
    env: local.env,
    startedAt: new Date().toISOString(),
  });
}

export async function removeLocalState(dataDir: string): Promise<void> {
  await rm(stateFile(dataDir), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function reachable(endpoint: string): Promise<boolean> {
  const url = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** The running `duban local` for this data directory, or undefined (a stale file is removed). */
export async function findRunningLocal(dataDir: string): Promise<LocalState | undefined> {
  let state: LocalState;
  try {
    state = JSON.parse(await readFile(stateFile(dataDir), 'utf8')) as LocalState;
  } catch {
    return undefined;
  }
  if (state.pid !== process.pid && alive(state.pid) && (await reachable(state.endpoints.dynamodb))) {
    return state;
  }
  await removeLocalState(dataDir);
  return undefined;
}
