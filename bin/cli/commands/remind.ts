import path from 'node:path';
import type { Command } from 'commander';
import { periodLabel } from '../../../functions/core/bulletin/bulletin-period.ts';
import { sendReminders } from '../../../functions/use-cases/reminders/send-reminders.ts';
import { composeCli } from '../compose-cli.ts';
import { parsePeriodOption } from '../options.ts';
import { runCommand } from '../run-command.ts';
import { parseAsOf } from './as-of.ts';

/** `duban remind --period <YYYY-MM> [--as-of <date>]`: the hourly reminder run, by hand. */
export function register(program: Command): void {
  program
    .command('remind')
    .description(
      "催报: mail every department that has not reported (template attached) and the office, for the month's reminder points on the given day; a point already sent is not sent again",
    )
    .requiredOption('--period <YYYY-MM>', 'the reporting month, e.g. 2023-06')
    .option(
      '--as-of <date>',
      'act on the points of this Beijing day (YYYY-MM-DD), or of its day up to an ISO time; default now',
    )
    .action(async (opts: { period: string; asOf?: string }, command: Command) => {
      const period = parsePeriodOption(opts.period);
      await runCommand(
        command,
        async (ctx) => {
          const cli = composeCli();
          const window = parseAsOf(opts.asOf ?? cli.clock().toISOString());
          const deps = await cli.reminders({
            outboxDir: ctx.global.aws
              ? undefined
              : (process.env.DUBAN_OUTBOX_DIR ?? path.join(ctx.global.data, 'outbox')),
            actor: process.env.USER ?? 'cli',
            log: ctx.log,
          });
          const result = await sendReminders(deps, period, window);
          const acted = result.points.filter((p) => p.acted);
          const text = [
            `${periodLabel(period)} (${period}) 催报 — due ${result.due.day}; points: ${result.points.map((p) => `${p.day} ${p.at} (${p.id})${p.acted ? ' ←' : ''}`).join(', ') || 'none'}`,
            acted.length === 0
              ? 'no reminder point on that day: nothing sent'
              : `not reported: ${result.missing.length === 0 ? 'none' : result.missing.join(', ')}`,
            ...result.sent.map(
              (s) => `sent ${s.point} → ${s.recipient} (${s.to.join(', ')}): ${s.mail.location}`,
            ),
            ...result.skipped.map((s) => `skipped ${s.point} → ${s.recipient}: ${s.reason}`),
          ].join('\n');
          return {
            json: {
              ok: true,
              period,
              due: result.due.day,
              window: { from: window.from.toISOString(), to: window.to.toISOString() },
              points: result.points.map((p) => ({ id: p.id, day: p.day, at: p.at, acted: p.acted })),
              missing: result.missing,
              sent: result.sent.map((s) => ({
                point: s.point,
                recipient: s.recipient,
                to: s.to,
                messageId: s.mail.messageId,
                location: s.mail.location,
              })),
              skipped: result.skipped,
            },
            text,
          };
        },
        { storage: 'existing' },
      );
    });
}
