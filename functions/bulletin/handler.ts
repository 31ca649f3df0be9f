import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { currentConfig } from '../adapters/aws-clients.ts';
import { beginInvocation, count, observability } from '../adapters/observability.ts';
import { bulletinPeriodFor } from '../core/bulletin/bulletin-period.ts';
import { PERIOD_PATTERN } from '../core/submission.ts';
import { METRICS } from '../shared/resources.ts';
import { type IssueResult, issueBulletin } from '../use-cases/bulletin/issue-bulletin.ts';
import { DEFAULT_DEADLINES, fitDeadlines } from '../use-cases/bulletin/phase-deadline.ts';
import { bulletinsDueAt, type ScheduleDeps } from '../use-cases/schedule/scheduled-periods.ts';
import { composeBulletin } from './compose-bulletin.ts';

const obs = observability(METRICS.services.bulletin);

/**
 * EventBridge Scheduler input (lib/constructs/bulletin.ts sends
 * `{ source, scheduledTime: <aws.scheduler.scheduled-time> }` every hour); an EventBridge rule
 * event's `time` is accepted too. `period` overrides the month for a re-run.
 */
export const bulletinEventSchema = z.object({
  source: z.string().optional(),
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
  time: z.iso.datetime({ offset: true }).optional(),
  period: z.string().regex(PERIOD_PATTERN, 'period must be YYYY-MM').optional(),
});
export type BulletinEvent = z.infer<typeof bulletinEventSchema>;

/**
 * The months to report at this tick: the override; else those whose bulletin (per the
 * catalog's rule on the official calendar) is scheduled in the hour of the schedule's instant;
 * an event with no time at all (a manual invoke) reports the month before now in Beijing time.
 */
export async function periodsOf(event: BulletinEvent, deps: ScheduleDeps, now: Date): Promise<string[]> {
  if (event.period) return [event.period];
  const at = event.scheduledTime ?? event.time;
  if (!at) return [bulletinPeriodFor(now)];
  return bulletinsDueAt(deps, new Date(at));
}

export type BulletinSummary = Pick<
  IssueResult,
  'status' | 'period' | 'version' | 'folder' | 'manifestKey' | 'manifestSha256' | 'statusCounts'
> & {
  /** Where each mail this run sent went (an .eml path locally, an SES message id on AWS). */
  readonly mails: readonly string[];
};

/** The hourly tick found no bulletin scheduled in its hour. */
export interface NotScheduled {
  readonly status: 'not-scheduled';
  readonly at: string;
}

/** Throws on every failure so Lambda's retries and the dead-letter queue take over. */
export async function handler(
  event: unknown,
  context?: Partial<Context>,
): Promise<BulletinSummary | NotScheduled> {
  const parsed = bulletinEventSchema.parse(event);
  const deps = await composeBulletin({
    log: (line) => obs.logger.info(line),
    actor: 'scheduler',
    runId: context?.awsRequestId,
    deadlines: context?.getRemainingTimeInMillis
      ? fitDeadlines(DEFAULT_DEADLINES, context.getRemainingTimeInMillis())
      : undefined,
  });
  const now = deps.clock();
  const at = parsed.scheduledTime ?? parsed.time;
  beginInvocation(obs, currentConfig().stage, context);
  const [period] = await periodsOf(parsed, deps, now);
  if (period === undefined) {
    obs.metrics.publishStoredMetrics();
    return { status: 'not-scheduled', at: at ?? now.toISOString() };
  }
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
    mails: result.notified.map((m) => m.location),
  };
}
