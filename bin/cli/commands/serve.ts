import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { resetClients } from '../../../functions/adapters/aws-clients.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import { createPortalApp } from '../../../functions/portal/app.ts';
import { catalogDistrict, createLocalPortalDeps } from '../../../functions/portal/compose.ts';
import { startLocalAws } from '../../../lib/local/local-aws.ts';
import { announceLocal, findRunningLocal, removeLocalState } from '../local-state.ts';
import { globalOptions, ingestUploadEvent, printFailure, stopSignal } from '../run-command.ts';

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be an integer between 0 (any free port) and 65535, got "${raw}"`);
  }
  return port;
}

function listen(app: ReturnType<typeof createPortalApp>, port: number, hostname: string) {
  return new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UsageError(`port ${port} on ${hostname} is in use; choose another with --port`)
          : error,
      ),
    );
  });
}

/** `duban serve`: the portal on the embedded stand-ins (or a running `duban local`), until Ctrl-C. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('run the web portal (departments upload, leaders read, auditors verify) until Ctrl-C')
    .option('--port <n>', 'port to listen on', '8080')
    .option(
      '--host <address>',
      'address to listen on (plain HTTP: keep it on the loopback or a trusted LAN)',
      '127.0.0.1',
    )
    .action(async (opts: { port: string; host: string }, command: Command) => {
      const global = globalOptions(command);
      try {
        if (global.aws)
          throw new UsageError('duban serve runs the portal locally; on AWS the stack serves it');
        const port = parsePort(opts.port);
        const running = await findRunningLocal(global.data);
        const local = running
          ? undefined
          : await startLocalAws({ dataDir: global.data, onObjectCreated: ingestUploadEvent });
        Object.assign(process.env, running?.env ?? local?.env, {
          // The handlers' structured logs would mix with the portal's own lines.
          POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
        });
        resetClients();
        const local_ = createLocalPortalDeps();
        const district = local_.settings.district ?? (await catalogDistrict(local_.data.catalogs));
        const deps = { ...local_, settings: { ...local_.settings, district } };
        const app = createPortalApp(deps);
        let server: Awaited<ReturnType<typeof listen>>;
        try {
          server = await listen(app, port, opts.host);
        } catch (error) {
          await local?.stop();
          throw error;
        }
        // Other commands on the same data directory (duban users, duban ingest …) join these stand-ins.
        if (local) await announceLocal(global.data, local);
        const stopped = stopSignal('duban serve');
        const shown = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
        const bound = (server.address() as AddressInfo | null)?.port ?? port;
        const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${bound}/`;
        const users = await deps.data.users.list();
        const hint =
          users.length === 0
            ? 'No portal users yet: add one with `npx duban users add admin --role admin --password-stdin`.\n'
            : `${users.length} portal users (npx duban users list).\n`;
        process.stdout.write(
          global.json
            ? `${JSON.stringify({ url, dataDir: global.data, users: users.length, pid: process.pid })}\n`
            : `duban serve: portal at ${url}\ndata: ${global.data}${running ? ` (joined duban local, pid ${running.pid})` : ''}\n${hint}Press Ctrl-C to stop.\n`,
        );
        await stopped;
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await local?.stop();
        if (local) await removeLocalState(global.data);
        resetClients();
        process.stderr.write('duban serve: stopped, data kept.\n');
        process.exitCode = 0;
      } catch (error) {
        process.exitCode = printFailure(error, global.json);
      }
    });
}
