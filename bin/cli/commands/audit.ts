import type { Command } from 'commander';
import type { AuditEvent } from '../../../functions/core/audit-event.ts';
import { auditActionZh } from '../../../functions/core/audit-labels.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import { PERIOD_PATTERN, type ValueChange } from '../../../functions/core/submission.ts';
import { composeCli } from '../compose-cli.ts';
import { runCommand } from '../run-command.ts';

interface AuditOptions {
  readonly dept?: string;
  readonly period?: string;
}

function isChanges(value: unknown): value is ValueChange[] {
  return Array.isArray(value) && value.every((c) => typeof c === 'object' && c !== null && 'code' in c);
}

/** One line per event (who, when, what), with the changed values of a correction beneath it. */
function describe(event: AuditEvent): string {
  const d = event.detail;
  const what = [
    typeof d.version === 'number' ? `v${d.version}` : '',
    typeof d.key === 'string' ? d.key : '',
    Array.isArray(d.errors) && d.errors.length > 0 ? `${d.errors.length} error(s)` : '',
  ]
    .filter(Boolean)
    .join('  ');
  const lines = [
    `${event.at}  ${event.period}  ${event.dept ?? '-'}  ${auditActionZh(event.action)} (${event.action})  by ${event.actor}  ${what}`,
  ];
  if (isChanges(d.changes)) {
    for (const c of d.changes) lines.push(`    ${c.code}: ${c.before ?? '—'} → ${c.after ?? '—'}`);
  }
  return lines.join('\n');
}

/** `duban audit log [--dept <id>] [--period <YYYY-MM>]`. */
export function register(program: Command): void {
  const audit = program.command('audit').description('the append-only audit log');
  audit
    .command('log')
    .description('list audit events (who, when, what changed)')
    .option('--dept <id>', 'only this department')
    .option('--period <YYYY-MM>', 'only this month (or a catalog year, e.g. 2023)')
    .action(async (opts: AuditOptions, command: Command) => {
      await runCommand(
        command,
        async () => {
          if (opts.period && !PERIOD_PATTERN.test(opts.period) && !/^\d{4}$/.test(opts.period)) {
            throw new UsageError(`--period must be YYYY-MM (or a catalog year), got "${opts.period}"`);
          }
          const events = await composeCli().stores.audit.list({ period: opts.period, dept: opts.dept });
          return {
            json: { events },
            text: events.length === 0 ? 'no audit events' : events.map(describe).join('\n'),
          };
        },
        { storage: true },
      );
    });
}
