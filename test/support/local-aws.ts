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
  const state: { aws?: LocalAws; dataDir?: string; savedEnv?: NodeJS.ProcessEnv } = {};
  beforeAll(async () => {
    state.dataDir = await mkdtemp(path.join(tmpdir(), 'duban-test-'));
    state.aws = await startLocalAws({ ...options, dataDir: state.dataDir });
    state.savedEnv = { ...process.env };
    Object.assign(process.env, state.aws.env);
    resetClients();
  });
  afterAll(async () => {
    await state.aws?.stop();
    resetClients();
    if (state.savedEnv) process.env = state.savedEnv;
    if (state.dataDir) await rm(state.dataDir, { recursive: true, force: true });
  });
  return {
    get aws() {
      if (!state.aws) throw new Error('local AWS is not started yet (use it inside a test)');
      return state.aws;
    },
    get dataDir() {
      if (!state.dataDir) throw new Error('local AWS is not started yet (use it inside a test)');
      return state.dataDir;
    },
  };
}
