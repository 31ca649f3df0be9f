import type { Command } from 'commander';
import type { AuditEvent } from '../../../functions/core/audit-event.ts';
import { auditActionZh } from '../../../functions/core/audit-labels.ts';
import { beijingTime } from '../../../functions/core/bulletin/bulletin-period.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import { PERIOD_PATTERN, type ValueChange } from '../../../functions/core/submission.ts';
import { catalogNames, type NamesOfYear } from '../catalog-names.ts';
import { composeCli } from '../compose-cli.ts';
import { deptIdOf, deptYears } from '../dept-option.ts';
import { runCommand } from '../run-command.ts';

interface AuditOptions {
  readonly dept?: string;
  readonly period?: string;
}

function isChanges(value: unknown): value is ValueChange[] {
  return Array.isArray(value) && value.every((c) => typeof c === 'object' && c !== null && 'code' in c);
}

/**
 * One line per event (when in Beijing time, who, what), with the changed values of a
 * correction beneath it, departments and indicators by name.
 */
async function describe(event: AuditEvent, names: NamesOfYear): Promise<string> {
  const n = await names(Number(event.period.slice(0, 4)));
  const dept = event.dept ? (n?.depts[event.dept] ?? event.dept) : '-';
  const d = event.detail;
  const what = [
    typeof d.version === 'number' ? `v${d.version}` : '',
    typeof d.key === 'string' ? d.key : '',
    Array.isArray(d.errors) && d.errors.length > 0 ? `${d.errors.length} error(s)` : '',
  ]
    .filter(Boolean)
    .join('  ');
  const lines = [
    `${beijingTime(event.at)}  ${event.period}  ${dept}  ${auditActionZh(event.action)} (${event.action})  by ${event.actor}  ${what}`,
  ];
  if (isChanges(d.changes)) {
    for (const c of d.changes)
      lines.push(`    ${n?.indicators[c.code] ?? c.code}: ${c.before ?? '—'} → ${c.after ?? '—'}`);
  }
  return lines.join('\n');
}

/** `duban audit log [--dept <id|name>] [--period <YYYY-MM>]`. */
export function register(program: Command): void {
  const audit = program.command('audit').description('the append-only audit log');
  audit
    .command('log')
    .description('list audit events (who, when, what changed)')
    .option('--dept <id|name>', 'only this department (id or name, e.g. fgw or 发改委)')
    .option('--period <YYYY-MM>', 'only this month (or a catalog year, e.g. 2023)')
    .action(async (opts: AuditOptions, command: Command) => {
      await runCommand(
        command,
        async () => {
          if (opts.period && !PERIOD_PATTERN.test(opts.period) && !/^\d{4}$/.test(opts.period)) {
            throw new UsageError(`--period must be YYYY-MM (or a catalog year), got "${opts.period}"`);
          }
          const { stores } = composeCli();
          const names = catalogNames(stores.catalogs);
          const listed = await stores.audit.list({ period: opts.period });
          const dept = opts.dept
            ? await deptIdOf(
                stores.catalogs,
                opts.dept,
                deptYears(
                  opts.period,
                  listed.map((e) => e.period),
                ),
              )
            : undefined;
          const events = dept ? listed.filter((e) => e.dept === dept) : listed;
          const lines = await Promise.all(events.map((e) => describe(e, names)));
          return {
            json: { events },
            text: events.length === 0 ? 'no audit events' : lines.join('\n'),
          };
        },
        { storage: 'existing' },
      );
    });
}
