import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { currentConfig } from '../adapters/aws-clients.ts';
import { beginInvocation, count, observability } from '../adapters/observability.ts';
import { bulletinPeriodFor } from '../core/bulletin/bulletin-period.ts';
import { PERIOD_PATTERN } from '../core/submission.ts';
import { METRICS } from '../shared/resources.ts';
import { type IssueResult, issueBulletin } from '../use-cases/bulletin/issue-bulletin.ts';
import { DEFAULT_DEADLINES, fitDeadlines } from '../use-cases/bulletin/phase-deadline.ts';
import { composeBulletin } from './compose-bulletin.ts';

const obs = observability(METRICS.services.bulletin);

/**
 * EventBridge Scheduler input (lib/constructs/bulletin.ts sends
 * `{ source, scheduledTime: <aws.scheduler.scheduled-time> }`); an EventBridge rule event's
 * `time` is accepted too. `period` overrides the month for a re-run.
 */
export const bulletinEventSchema = z.object({
  source: z.string().optional(),
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
  time: z.iso.datetime({ offset: true }).optional(),
  period: z.string().regex(PERIOD_PATTERN, 'period must be YYYY-MM').optional(),
});
export type BulletinEvent = z.infer<typeof bulletinEventSchema>;

/** The month to report: the override, else the month before the schedule's instant in Beijing time. */
export function periodOf(event: BulletinEvent, now: Date): string {
  if (event.period) return event.period;
  const at = event.scheduledTime ?? event.time;
  return bulletinPeriodFor(at ? new Date(at) : now);
}

export type BulletinSummary = Pick<
  IssueResult,
  'status' | 'period' | 'version' | 'folder' | 'manifestKey' | 'manifestSha256' | 'statusCounts'
>;

/** Throws on every failure so Lambda's retries and the dead-letter queue take over. */
export async function handler(event: unknown, context?: Partial<Context>): Promise<BulletinSummary> {
  const parsed = bulletinEventSchema.parse(event);
  const deps = composeBulletin({
    log: (line) => obs.logger.info(line),
    actor: 'scheduler',
    runId: context?.awsRequestId,
    deadlines: context?.getRemainingTimeInMillis
      ? fitDeadlines(DEFAULT_DEADLINES, context.getRemainingTimeInMillis())
      : undefined,
  });
  const period = periodOf(parsed, deps.clock());
  // 编发日期 is the schedule's instant, not when this invocation (or a retry) happens to run.
  const at = parsed.scheduledTime ?? parsed.time;
  beginInvocation(obs, currentConfig().stage, context);
  obs.logger.appendKeys({ period });
  let result: IssueResult;
  try {
    result = await issueBulletin(deps, period, at ? { issuedAt: new Date(at) } : {});
  } catch (error) {
    count(obs, METRICS.bulletins.failed);
    obs.metrics.publishStoredMetrics();
    obs.logger.error('bulletin run failed', error as Error);
    throw error;
  } finally {
    obs.logger.removeKeys(['period']);
  }
  count(obs, result.status === 'issued' ? METRICS.bulletins.issued : METRICS.bulletins.unchanged);
  obs.metrics.publishStoredMetrics();
  obs.logger.info(`bulletin ${result.status}`, {
    period,
    status: result.status,
    version: result.version,
    manifestSha256: result.manifestSha256,
    statusCounts: result.statusCounts,
  });
  return {
    status: result.status,
    period: result.period,
    version: result.version,
    folder: result.folder,
    manifestKey: result.manifestKey,
    manifestSha256: result.manifestSha256,
    statusCounts: result.statusCounts,
  };
}
