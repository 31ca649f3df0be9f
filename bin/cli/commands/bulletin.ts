import path from 'node:path';
import type { Command } from 'commander';
import { STATUSES } from '../../../functions/core/catalog/catalog-schema.ts';
import { issueBulletin } from '../../../functions/use-cases/bulletin/issue-bulletin.ts';
import { composeCli } from '../compose-cli.ts';
import { parsePeriodOption } from '../options.ts';
import { runCommand } from '../run-command.ts';
import { copyVersionTo } from './archive.ts';

/** `duban bulletin --period <YYYY-MM> [--out <dir>]`: the scheduled run, on demand. */
export function register(program: Command): void {
  program
    .command('bulletin')
    .description(
      'build, archive and send the progress bulletin of a month (unchanged inputs: no new version)',
    )
    .requiredOption('--period <YYYY-MM>', 'the month to report, e.g. 2023-12')
    .option('--out <dir>', 'also copy the archived files (and manifest.json) here')
    .action(async (opts: { period: string; out?: string }, command: Command) => {
      await runCommand(
        command,
        async (ctx) => {
          const period = parsePeriodOption(opts.period);
          const cli = composeCli();
          const deps = await cli.bulletin({
            // Against the deployed stack mail goes through SES, as from the Lambda.
            outboxDir: ctx.global.aws
              ? undefined
              : (process.env.DUBAN_OUTBOX_DIR ?? path.join(ctx.global.data, 'outbox')),
            log: ctx.log,
            actor: process.env.USER ?? 'cli',
          });
          const result = await issueBulletin(deps, period);
          const copied = opts.out
            ? await copyVersionTo(
                { archive: cli.archive, chain: cli.stores.chain, key: cli.archiveKey },
                period,
                result.version,
                opts.out,
              )
            : undefined;
          const counts = STATUSES.map((s) => `${s} ${result.statusCounts[s] ?? 0}`).join('  ');
          const text = [
            `${result.title} v${result.version}: ${result.status === 'issued' ? 'issued' : 'unchanged (same inputs as the archived version)'}`,
            ...result.headline.map((h) => `  ${h}`),
            `status: ${counts}`,
            `archive: ${result.folder}`,
            ...result.files.map((f) => `  ${f.sha256}  ${f.name} (${f.size} bytes)`),
            `  ${result.manifestSha256}  manifest.json`,
            ...(result.chain
              ? [
                  `chain: link #${result.chain.seq}, after manifest ${result.chain.prevManifestSha256 ?? '(first link)'}`,
                ]
              : []),
            ...result.notified.map((m) => `mail: ${m.location}`),
            ...(copied ? [`copied to ${opts.out} (${copied.paths.length} files)`] : []),
          ].join('\n');
          return {
            json: {
              ok: true,
              status: result.status,
              period: result.period,
              version: result.version,
              previousVersion: result.previousVersion,
              title: result.title,
              folder: result.folder,
              files: result.files,
              manifest: { key: result.manifestKey, sha256: result.manifestSha256 },
              statusCounts: result.statusCounts,
              headline: result.headline,
              inputsHash: result.inputsHash,
              chain: result.chain ?? null,
              pages: result.pages,
              mail: result.notified.map((m) => m.location),
              out: copied?.paths ?? [],
            },
            text,
          };
        },
        { storage: 'existing' },
      );
    });
}
