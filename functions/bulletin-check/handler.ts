import { z } from 'zod';
import { currentConfig } from '../adapters/aws-clients.ts';
import { createStores } from '../adapters/dynamo-stores.ts';
import { bulletinPeriodFor } from '../core/bulletin/bulletin-period.ts';
import type { AuditLog } from '../core/ports.ts';
import { METRICS } from '../shared/resources.ts';

/**
 * Runs on the 6th (EventBridge Scheduler): is there a bulletin for the month just closed?
 * It answers with a metric rather than a mail so that every alert reaches people the
 * same way: an alarm on the one SNS topic.
 */

const eventSchema = z.object({
  /** `<aws.scheduler.scheduled-time>`: the check is about the month before this instant. */
  scheduledTime: z.iso.datetime({ offset: true }),
});

export interface BulletinCheckResult {
  readonly period: string;
  readonly missing: boolean;
  readonly latestVersion?: number;
}

/** One embedded-metric-format record; CloudWatch turns the log line into the metric. */
export function missingBulletinMetric(stage: string, result: BulletinCheckResult, now: Date): string {
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

/**
 * Looks for the bulletin of the month before `scheduledTime` (Beijing time). Only an issued
 * version counts (the audit event written once its manifest is archived): a run that claimed
 * a version and died leaves a claim, not a bulletin.
 */
export async function checkBulletin(
  audit: Pick<AuditLog, 'list'>,
  scheduledTime: Date,
): Promise<BulletinCheckResult> {
  const period = bulletinPeriodFor(scheduledTime);
  const versions = (await audit.list({ period }))
    .filter((e) => e.action === 'bulletin.issued')
    .map((e) => Number(e.detail.version))
    .filter(Number.isInteger);
  return versions.length > 0
    ? { period, missing: false, latestVersion: Math.max(...versions) }
    : { period, missing: true };
}

export async function handler(event: unknown): Promise<BulletinCheckResult> {
  const { scheduledTime } = eventSchema.parse(event);
  const result = await checkBulletin(createStores().audit, new Date(scheduledTime));
  console.log(missingBulletinMetric(currentConfig().stage, result, new Date()));
  return result;
}
