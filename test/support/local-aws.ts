import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { resetClients } from '../../functions/adapters/aws-clients.ts';
import { type LocalAws, type LocalAwsOptions, startLocalAws } from '../../lib/local/local-aws.ts';

export interface LocalAwsFixture {
  /** The running stand-ins (available inside tests, after beforeAll). */
  readonly aws: LocalAws;
  readonly dataDir: string;
}

/**
 * Starts dynalite + s3rver in a fresh temporary directory for one test file, points the
 * process's SDK clients at them, and tears everything down afterwards.
 */
export function useLocalAws(options: Omit<LocalAwsOptions, 'dataDir'> = {}): LocalAwsFixture {
  const state: { attached?: AttachedStandIns; dataDir?: string } = {};
  beforeAll(async () => {
    state.dataDir = await mkdtemp(path.join(tmpdir(), 'duban-test-'));
    state.attached = await attachLocalAws({ ...options, dataDir: state.dataDir });
  });
  afterAll(async () => {
    await state.attached?.detach();
    if (state.dataDir) await rm(state.dataDir, { recursive: true, force: true });
  });
  return {
    get aws() {
      if (!state.attached) throw new Error('local AWS is not started yet (use it inside a test)');
      return state.attached.aws;
    },
    get dataDir() {
      if (!state.dataDir) throw new Error('local AWS is not started yet (use it inside a test)');
      return state.dataDir;
    },
  };
}

/** Stand-ins started on a data directory with the process's SDK clients pointed at them. */
export interface AttachedStandIns {
  readonly aws: LocalAws;
  /** Stops them and gives the process its environment and clients back. */
  detach(): Promise<void>;
}

export async function attachLocalAws(options: LocalAwsOptions): Promise<AttachedStandIns> {
  const aws = await startLocalAws(options);
  const saved = { ...process.env };
  Object.assign(process.env, aws.env);
  resetClients();
  return {
    aws,
    async detach() {
      await aws.stop();
      process.env = saved;
      resetClients();
    },
  };
}

/**
 * Runs `work` against stand-ins on `options.dataDir`, then stops them: for tests whose CLI
 * steps start their own stand-ins on the same directory in between.
 */
export async function withLocalAws<T>(
  options: LocalAwsOptions,
  work: (aws: LocalAws) => Promise<T>,
): Promise<T> {
  const attached = await attachLocalAws(options);
  try {
    return await work(attached.aws);
  } finally {
    await attached.detach();
  }
}
