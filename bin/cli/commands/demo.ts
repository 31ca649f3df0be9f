import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../../functions/core/errors.ts';
import { createLocalUserAdmin } from '../../../functions/portal/compose.ts';
import { copyDemoOutput } from '../demo/demo-output.ts';
import { createDemoProgress } from '../demo/demo-progress.ts';
import { formatSummary, summarize } from '../demo/demo-report.ts';
import { createDemoUsers } from '../demo/demo-users.ts';
import { runDemo } from '../demo/run-demo.ts';
import { runCommand } from '../run-command.ts';

function parseInteger(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** `duban demo`: replays a year of the work report through the real handlers, on the embedded stand-ins. */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'replay a year month by month: templates, uploads (one rejected, one correction, one month missing), bulletins',
    )
    .option('--year <yyyy>', 'year of the seed catalog to replay', '2023')
    .option('--out <dir>', 'where to copy bulletins, receipts and mails', 'out')
    .option('--months <n>', 'replay only January … month n', '12')
    .action(async (opts: { year: string; out: string; months: string }, command: Command) => {
      await runCommand(command, async (ctx) => {
        if (ctx.global.aws)
          throw new UsageError('duban demo replays a year on the local stand-ins; it does not take --aws');
        const year = parseInteger('--year', opts.year, 2000, 2100);
        const months = parseInteger('--months', opts.months, 1, 12);
        const outDir = path.resolve(opts.out);
        const started = performance.now();
        const progress = createDemoProgress();
        ctx.log(
          `duban demo: replaying ${year} in ${ctx.global.data} (embedded DynamoDB and S3, no AWS account)`,
        );
        const run = await runDemo({ year, months, dataDir: ctx.global.data, progress }).finally(() =>
          progress.stop(),
        );
        try {
          const files = await copyDemoOutput(run, outDir);
          const portalUsers = await createDemoUsers(
            createLocalUserAdmin(() => new Date()),
            run.catalog.catalog,
            ctx.global.data,
          );
          const summary = { ...summarize(run, outDir, files, performance.now() - started), portalUsers };
          return { json: { ok: true, ...summary }, text: formatSummary(run, summary) };
        } finally {
          await run.environment.stop();
        }
      });
    });
}
