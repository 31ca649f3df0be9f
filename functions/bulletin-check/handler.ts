import { z } from 'zod';
import { currentConfig } from '../adapters/aws-clients.ts';
import { createStores } from '../adapters/dynamo-stores.ts';
import { systemClock } from '../adapters/system-clock.ts';
import type { BulletinCheck } from '../core/bulletin/bulletin-run.ts';
import { METRICS } from '../shared/resources.ts';
import { checkBulletin } from '../use-cases/bulletin/check-bulletin.ts';

/**
 * Runs on the 6th (EventBridge Scheduler): is there a bulletin for the month just closed?
 * It answers with a metric rather than a mail so that every alert reaches people the
 * same way: an alarm on the one SNS topic.
 */

const eventSchema = z.object({
  /** `<aws.scheduler.scheduled-time>`: the check is about the month before this instant. */
  scheduledTime: z.iso.datetime({ offset: true }),
});

/** One embedded-metric-format record; CloudWatch turns the log line into the metric. */
export function missingBulletinMetric(stage: string, result: BulletinCheck, now: Date): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRICS.namespace,
          Dimensions: [[METRICS.stageDimension]],
          Metrics: [{ Name: METRICS.bulletinMissing, Unit: 'Count' }],
        },
      ],
    },
    [METRICS.stageDimension]: stage,
    [METRICS.bulletinMissing]: result.missing ? 1 : 0,
    period: result.period,
    latestVersion: result.latestVersion,
  });
}

export async function handler(event: unknown): Promise<BulletinCheck> {
  const { scheduledTime } = eventSchema.parse(event);
  const result = await checkBulletin(createStores().ledger, new Date(scheduledTime));
  console.log(missingBulletinMetric(currentConfig().stage, result, systemClock()));
  return result;
}
