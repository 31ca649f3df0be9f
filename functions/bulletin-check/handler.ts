import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { currentConfig } from '../adapters/aws-clients.ts';
import { officialCalendar } from '../adapters/calendar/official-calendar.ts';
import { createStores } from '../adapters/dynamo-stores.ts';
import { beginInvocation, count, observability } from '../adapters/observability.ts';
import type { BulletinCheck } from '../core/bulletin/bulletin-run.ts';
import { METRICS } from '../shared/resources.ts';
import { checkBulletin } from '../use-cases/bulletin/check-bulletin.ts';

/**
 * Runs daily (EventBridge Scheduler): is there a bulletin for the newest month whose bulletin
 * day has passed?
 * It answers with a metric rather than a mail so that every alert reaches people the
 * same way: an alarm on the one SNS topic.
 */

const eventSchema = z.object({
  /** `<aws.scheduler.scheduled-time>`: the check is about the newest month due before it. */
  scheduledTime: z.iso.datetime({ offset: true }),
});

const obs = observability(METRICS.services.bulletinCheck);

export async function handler(
  event: unknown,
  context?: Partial<Context>,
): Promise<BulletinCheck | { readonly period: null }> {
  const { scheduledTime } = eventSchema.parse(event);
  beginInvocation(obs, currentConfig().stage, context);
  const stores = createStores();
  const result = await checkBulletin(
    { ledger: stores.ledger, catalogs: stores.catalogs, calendar: await officialCalendar() },
    new Date(scheduledTime),
  );
  // No catalog for the months around: no bulletin is expected, so nothing to report.
  if (!result) {
    obs.logger.info('no month with a bulletin due around this time', { scheduledTime });
    return { period: null };
  }
  count(obs, METRICS.bulletinMissing, result.missing ? 1 : 0);
  obs.metrics.publishStoredMetrics();
  const line = result.missing ? 'no bulletin archived for the newest month due' : 'bulletin archived';
  if (result.missing) obs.logger.warn(line, { ...result });
  else obs.logger.info(line, { ...result });
  return result;
}
