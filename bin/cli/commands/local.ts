import type { Command } from 'commander';
import { UsageError } from '../../../functions/core/errors.ts';
import { startLocalAws } from '../../../lib/local/local-aws.ts';
import { announceLocal, findRunningLocal, removeLocalState } from '../local-state.ts';
import { globalOptions, ingestUploadEvent, printFailure, stopSignal } from '../run-command.ts';

function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1024 || port > 65534) {
    throw new UsageError(`--port must be an integer between 1024 and 65534, got "${raw}"`);
  }
  return port;
}

function exportLines(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}=${v}`)
    .join('\n');
}

/** `duban local`: serve the stand-ins until Ctrl-C; other commands on the same --data join them. */
export function register(program: Command): void {
  program
    .command('local')
    .description('run the local DynamoDB and S3 stand-ins until Ctrl-C (uploads are ingested as in AWS)')
    .option('--port <n>', 'DynamoDB on <n>, S3 on <n+1> (default: free ports)')
    .action(async (opts: { port?: string }, command: Command) => {
      const global = globalOptions(command);
      try {
        if (global.aws)
          throw new UsageError('duban local serves the local stand-ins; it does not take --aws');
        const port = parsePort(opts.port);
        const running = await findRunningLocal(global.data);
        if (running) {
          throw new UsageError(`duban local is already running for ${global.data} (pid ${running.pid})`);
        }
        const local = await startLocalAws({ dataDir: global.data, port, onObjectCreated: ingestUploadEvent });
        Object.assign(process.env, local.env);
        await announceLocal(global.data, local);
        // Listen for the signals before announcing readiness: a caller may stop us right after.
        const stopped = stopSignal('duban local');
        const info = { endpoints: local.endpoints, env: local.env, dataDir: global.data, pid: process.pid };
        process.stdout.write(
          global.json
            ? `${JSON.stringify(info)}\n`
            : `duban local: DynamoDB ${local.endpoints.dynamodb}  S3 ${local.endpoints.s3}\n` +
                `data: ${global.data}\nPoint the AWS SDK or CLI at them with:\n${exportLines(local.env)}\n` +
                'Press Ctrl-C to stop.\n',
        );
        await stopped;
        await local.stop();
        await removeLocalState(global.data);
        process.stderr.write('duban local: stopped, data kept.\n');
        process.exitCode = 0;
      } catch (error) {
        process.exitCode = printFailure(error, global.json);
      }
    });
}
