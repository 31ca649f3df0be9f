import type { Command } from 'commander';
import { periodLabel } from '../../../functions/core/bulletin/bulletin-period.ts';
import { beijingDate } from '../../../functions/core/due-date.ts';
import {
  type DepartmentSubmission,
  type PeriodSubmissions,
  periodSubmissions,
  type Standing,
} from '../../../functions/use-cases/submissions/period-status.ts';
import { composeCli } from '../compose-cli.ts';
import { parsePeriodOption } from '../options.ts';
import { runCommand } from '../run-command.ts';
import { parseAsOf } from './as-of.ts';

export const STANDING_LABEL: Readonly<Record<Standing, string>> = {
  'on-time': '按时报送',
  late: '逾期报送',
  pending: '待报送',
  missing: '未报送',
};

/** "2023-07-03 09:30" in Beijing time. */
export function beijingMinute(iso: string): string {
  const at = new Date(Date.parse(iso) + 8 * 3600_000);
  return at.toISOString().slice(0, 16).replace('T', ' ');
}

function line(d: DepartmentSubmission): string {
  const version = d.latest ? `v${d.latest.version}` : '—';
  const at = d.latest ? beijingMinute(d.latest.receivedAt) : '—';
  const reminded = d.remindedAt.map((r) => beijingMinute(r).slice(5, 10)).join(', ');
  return [
    d.dept.padEnd(6),
    d.name.padEnd(8, '　'),
    String(d.indicators).padStart(3),
    STANDING_LABEL[d.standing].padEnd(5, '　'),
    version.padEnd(4),
    at.padEnd(16),
    reminded ? `催报 ${reminded}` : '',
  ]
    .join('  ')
    .trimEnd();
}

function deadlineLine(s: PeriodSubmissions): string {
  if (s.daysLeft > 0)
    return `还有${s.daysLeft}天（${s.workingDaysLeft}个工作日）截止 / ${s.daysLeft} days (${s.workingDaysLeft} working days) left`;
  if (s.daysLeft === 0) return '今天截止 / due today';
  return `已截止${-s.daysLeft}天 / closed ${-s.daysLeft} days ago`;
}

export function statusText(s: PeriodSubmissions): string {
  return [
    `${periodLabel(s.period)} (${s.period}) 报送情况 / reporting status as of ${beijingMinute(s.asOf)} Beijing time`,
    `截止 / due ${s.due.day} (${s.due.rule}); 通报 / bulletin ${s.bulletin.day} ${s.bulletin.at}; ${deadlineLine(s)}`,
    `${s.reported}/${s.departments.length} 已报送 reported, ${s.late} 逾期报送 late, ${s.missing} 未报送 not reported`,
    ...s.departments.map(line),
  ].join('\n');
}

/** `duban status --period <YYYY-MM> [--as-of <date>]`. */
export function register(program: Command): void {
  program
    .command('status')
    .description('who has reported for a month: version, time, on time or late, not yet reported, days left')
    .requiredOption('--period <YYYY-MM>', 'the reporting month, e.g. 2023-06')
    .option('--as-of <date>', 'judge as at this date (YYYY-MM-DD, end of day) or ISO time; default now')
    .action(async (opts: { period: string; asOf?: string }, command: Command) => {
      const period = parsePeriodOption(opts.period);
      await runCommand(
        command,
        async () => {
          const cli = composeCli();
          const now = opts.asOf ? parseAsOf(opts.asOf).to : cli.clock();
          const status = await periodSubmissions(
            { ...cli.stores, calendar: await cli.calendar() },
            period,
            now,
          );
          return {
            json: {
              ok: true,
              ...status,
              today: beijingDate(now),
              due: { ...status.due, deadline: status.due.deadline.toISOString() },
              bulletin: { ...status.bulletin, instant: status.bulletin.instant.toISOString() },
            },
            text: statusText(status),
          };
        },
        { storage: 'existing' },
      );
    });
}
