import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { PERIOD_PATTERN } from '../core/submission.ts';
import { type RemindResult, sendReminders } from '../use-cases/reminders/send-reminders.ts';
import { hourWindow, remindersDueAt } from '../use-cases/schedule/scheduled-periods.ts';
import { composeReminders } from './compose-reminders.ts';

const logger = new Logger({ serviceName: 'duban-reminders' });

/**
 * EventBridge Scheduler input, every hour (lib/constructs/reminders.ts):
 * `{ source, scheduledTime: <aws.scheduler.scheduled-time> }`. The tick acts on the reminder
 * points of its hour; `period` limits it to one month.
 */
export const reminderEventSchema = z.object({
  source: z.string().optional(),
  scheduledTime: z.iso.datetime({ offset: true }),
  period: z.string().regex(PERIOD_PATTERN, 'period must be YYYY-MM').optional(),
});

export interface ReminderSummary {
  readonly at: string;
  readonly periods: readonly {
    readonly period: string;
    readonly sent: readonly { point: string; recipient: string; messageId: string; location: string }[];
    readonly skipped: RemindResult['skipped'];
    readonly missing: readonly string[];
  }[];
}

/** Throws on every failure so Lambda's retries and the dead-letter queue take over; the ledger makes a retry send each mail once. */
export async function handler(
  event: unknown,
  context?: Pick<Context, 'awsRequestId'>,
): Promise<ReminderSummary> {
  const parsed = reminderEventSchema.parse(event);
  const deps = await composeReminders({
    actor: 'scheduler',
    runId: context?.awsRequestId,
    log: (line) => logger.info(line),
  });
  const at = new Date(parsed.scheduledTime);
  const periods = parsed.period ? [parsed.period] : await remindersDueAt(deps, at);
  const out: ReminderSummary['periods'][number][] = [];
  for (const period of periods) {
    const result = await sendReminders(deps, period, hourWindow(at));
    logger.info('reminders sent', { period, sent: result.sent.length, missing: result.missing });
    out.push({
      period,
      sent: result.sent.map((s) => ({
        point: s.point,
        recipient: s.recipient,
        messageId: s.mail.messageId,
        location: s.mail.location,
      })),
      skipped: result.skipped,
      missing: result.missing,
    });
  }
  return { at: parsed.scheduledTime, periods: out };
}
