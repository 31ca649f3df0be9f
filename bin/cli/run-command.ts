import { access } from 'node:fs/promises';
import path from 'node:path';
import type { S3Event } from 'aws-lambda';
import type { Command } from 'commander';
import { resetClients } from '../../functions/adapters/aws-clients.ts';
import { loadConfig } from '../../functions/adapters/config.ts';
import { DubanError, InputRejectedError, UsageError } from '../../functions/core/errors.ts';
import { LOCAL_DYNAMODB_DIR, type LocalAws, startLocalAws } from '../../lib/local/local-aws.ts';
import { findRunningLocal } from './local-state.ts';

/**
 * What every command shares: global options (--data, --json accepted before or after the
 * command's own arguments), the embedded stand-ins when a command needs storage, one JSON
 * document on stdout with --json (logs to stderr), and exit codes 0 ok / 1 rejected input /
 * 2 usage or system error, never with a stack trace for bad input.
 */
export interface GlobalOptions {
  readonly data: string;
  readonly json: boolean;
  /** Use the deployed stack named by the environment instead of the local stand-ins. */
  readonly aws: boolean;
}

export interface CommandOutput {
  /** Printed on stdout with --json. */
  readonly json: unknown;
  /** Printed on stdout otherwise. */
  readonly text: string;
  /** 0 unless the command rejected its input (1). */
  readonly exitCode?: 0 | 1;
}

export interface CommandContext {
  readonly global: GlobalOptions;
  /** Progress and log lines: always stderr, so --json output stays one document. */
  log(line: string): void;
  /**
   * The in-process stand-ins, when this command started them; undefined when a running
   * `duban local` for the same data directory serves the command.
   */
  readonly local?: LocalAws;
  /** Waits for every upload event this process has dispatched to finish (in-process only). */
  settleUploads(): Promise<void>;
}

export interface RunOptions {
  /**
   * The command reads or writes DynamoDB/S3: start (or join) the stand-ins. `existing`: it only
   * looks at what is stored, so a --data directory holding no store is a usage error (a typo in
   * the path must not answer "nothing found"); `create`: it may be the first command run on a
   * fresh directory (it seeds the catalog or stores the first record).
   */
  readonly storage?: 'existing' | 'create';
}

export function globalOptions(command: Command): GlobalOptions {
  const opts = command.optsWithGlobals<{ data?: string; json?: boolean; aws?: boolean }>();
  return { data: opts.data ?? '.duban', json: Boolean(opts.json), aws: Boolean(opts.aws) };
}

/** The ingest handler, loaded on the first upload event (it pulls in the workbook reader). */
export async function ingestUploadEvent(event: S3Event): Promise<unknown> {
  const { handler } = await import('../../functions/ingest/handler.ts');
  return handler(event);
}

/**
 * Resolves on the first SIGINT or SIGTERM, saying so on stderr. Long-running commands call it
 * before announcing readiness: a caller may stop them right after.
 */
export function stopSignal(command: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`${command}: ${signal} received, stopping…\n`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

function describe(error: unknown): { code: 1 | 2; message: string; problems: readonly string[] } {
  if (error instanceof InputRejectedError)
    return { code: 1, message: error.message, problems: error.problems };
  if (error instanceof DubanError) return { code: 2, message: error.message, problems: [] };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: 2, message, problems: [] };
}

export function printFailure(error: unknown, json: boolean): 1 | 2 {
  const { code, message, problems } = describe(error);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ ok: false, exitCode: code, error: message, problems }, null, 2)}\n`,
    );
  }
  process.stderr.write(`duban: ${message}\n`);
  for (const p of problems.length > 1 || problems[0] !== message ? problems : []) {
    process.stderr.write(`  - ${p}\n`);
  }
  if (code === 2 && process.env.DUBAN_DEBUG && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  return code;
}

/** Whether a data directory holds the local store (its DynamoDB folder). */
async function holdsStore(dataDir: string): Promise<'yes' | 'no-directory' | 'no-store'> {
  try {
    await access(path.join(dataDir, LOCAL_DYNAMODB_DIR));
    return 'yes';
  } catch {
    return (await access(dataDir).then(
      () => true,
      () => false,
    ))
      ? 'no-store'
      : 'no-directory';
  }
}

async function attachStorage(
  global: GlobalOptions,
  mode: 'existing' | 'create',
): Promise<{ local?: LocalAws; release(): Promise<void> }> {
  if (global.aws) {
    // The deployed stack: names from the stack outputs, credentials from the usual AWS chain.
    resetClients();
    loadConfig();
    return { release: async () => resetClients() };
  }
  const saved = { ...process.env };
  const running = await findRunningLocal(global.data);
  if (!running && mode === 'existing') {
    const held = await holdsStore(global.data);
    if (held !== 'yes') {
      throw new UsageError(
        `--data ${global.data}: ${held === 'no-directory' ? 'no such directory' : 'holds no duban store'}; ` +
          'point --data at the directory `npx duban demo`, `npx duban ingest` or `npx duban catalog load` used (default .duban), or make one with `npx duban demo`',
      );
    }
  }
  const local = running
    ? undefined
    : await startLocalAws({ dataDir: global.data, onObjectCreated: ingestUploadEvent });
  Object.assign(process.env, running?.env ?? local?.env);
  resetClients();
  return {
    local,
    async release() {
      await local?.stop();
      resetClients();
      process.env = saved;
    },
  };
}

export async function runCommand(
  command: Command,
  action: (ctx: CommandContext) => Promise<CommandOutput>,
  options: RunOptions = {},
): Promise<void> {
  const global = globalOptions(command);
  let storage: Awaited<ReturnType<typeof attachStorage>> | undefined;
  try {
    storage = options.storage ? await attachStorage(global, options.storage) : undefined;
    const local = storage?.local;
    const output = await action({
      global,
      local,
      log: (line) => process.stderr.write(`${line}\n`),
      settleUploads: async () => {
        await local?.uploads?.drain();
      },
    });
    process.stdout.write(global.json ? `${JSON.stringify(output.json, null, 2)}\n` : `${output.text}\n`);
    process.exitCode = output.exitCode ?? 0;
  } catch (error) {
    process.exitCode = printFailure(error, global.json);
  } finally {
    await storage?.release().catch((error: unknown) => {
      process.stderr.write(`duban: stopping the local stand-ins failed: ${String(error)}\n`);
      process.exitCode = 2;
    });
  }
}
