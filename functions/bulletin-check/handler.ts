import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { currentConfig } from '../adapters/aws-clients.ts';
import { createStores } from '../adapters/dynamo-stores.ts';
import { beginInvocation, count, observability } from '../adapters/observability.ts';
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

const obs = observability(METRICS.services.bulletinCheck);

export async function handler(event: unknown, context?: Partial<Context>): Promise<BulletinCheck> {
  const { scheduledTime } = eventSchema.parse(event);
  beginInvocation(obs, currentConfig().stage, context);
  const result = await checkBulletin(createStores().ledger, new Date(scheduledTime));
  count(obs, METRICS.bulletinMissing, result.missing ? 1 : 0);
  obs.metrics.publishStoredMetrics();
  const line = result.missing ? 'no bulletin archived for the month just closed' : 'bulletin archived';
  if (result.missing) obs.logger.warn(line, { ...result });
  else obs.logger.info(line, { ...result });
  return result;
}
