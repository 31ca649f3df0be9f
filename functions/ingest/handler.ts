import type { Context, S3Event, SQSEvent } from 'aws-lambda';
// zod/mini: functions instead of methods, so the bundle carries only the checks used here.
import * as z from 'zod/mini';
import { currentConfig } from '../adapters/aws-clients.ts';
import { beginInvocation, count, observability } from '../adapters/observability.ts';
import { listedReceipt, type Receipt } from '../core/ingest/receipt.ts';
import { bareEtag, decodeEventKey } from '../core/s3-event-key.ts';
import { METRICS } from '../shared/resources.ts';
import { type IngestDeps, ingestUpload, type UploadRef } from '../use-cases/ingest/ingest-upload.ts';
import { composeIngest } from './compose-ingest.ts';

/**
 * Lambda entry for uploads: accepts the S3 notification itself (S3 → Lambda, and the
 * local stand-in) or an SQS batch whose bodies are S3 notifications (S3 → SQS → Lambda).
 * Records are processed one after another; any failure throws so the platform retries,
 * which is safe because ingest is idempotent per object.
 */

const s3RecordSchema = z.object({
  eventName: z.string(),
  eventTime: z.string(),
  userIdentity: z.optional(z.partial(z.object({ principalId: z.string() }))),
  s3: z.object({
    bucket: z.object({ name: z.string().check(z.minLength(1)) }),
    object: z.object({
      key: z.string().check(z.minLength(1)),
      eTag: z.optional(z.string()),
      // Present when the bucket is versioned (the uploads bucket on AWS); null or absent otherwise.
      versionId: z.optional(z.nullable(z.string())),
      sequencer: z.optional(z.string()),
    }),
  }),
});

const s3EventSchema = z.object({ Records: z.array(s3RecordSchema) });

/** S3 sends `{"Event":"s3:TestEvent"}` when a notification is configured; it carries no records. */
const s3TestEventSchema = z.object({ Event: z.literal('s3:TestEvent') });

const sqsEventSchema = z.object({
  Records: z.array(z.object({ eventSource: z.literal('aws:sqs'), body: z.string() })).check(z.minLength(1)),
});

function uploadsOf(s3Event: z.infer<typeof s3EventSchema>): UploadRef[] {
  return s3Event.Records.filter((r) => r.eventName.startsWith('ObjectCreated')).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeEventKey(r.s3.object.key),
    etag: bareEtag(r.s3.object.eTag),
    versionId: r.s3.object.versionId || undefined,
    sequencer: r.s3.object.sequencer,
    eventTime: r.eventTime,
    principal: r.userIdentity?.principalId,
  }));
}

/** The uploads named by an S3 or SQS-wrapped S3 event; throws on anything else. */
export function parseUploadEvent(event: unknown): UploadRef[] {
  const sqs = sqsEventSchema.safeParse(event);
  if (sqs.success) {
    return sqs.data.Records.flatMap((record) => {
      const body: unknown = JSON.parse(record.body);
      if (s3TestEventSchema.safeParse(body).success) return [];
      return uploadsOf(s3EventSchema.parse(body));
    });
  }
  return uploadsOf(s3EventSchema.parse(event));
}

const obs = observability(METRICS.services.ingest);

const OUTCOME_METRIC: Readonly<Record<Receipt['status'], string>> = METRICS.uploads;

export async function handler(
  event: S3Event | SQSEvent | unknown,
  context?: Partial<Context>,
): Promise<{ receipts: Receipt[] }> {
  const uploads = parseUploadEvent(event);
  const receipts: Receipt[] = [];
  const deps = composeIngest({
    onMail: (outcome) =>
      outcome.kind === 'sent'
        ? obs.logger.info('receipt mailed', { to: outcome.to.length, location: outcome.mail.location })
        : obs.logger.info(`receipt not mailed: ${outcome.reason}`),
  });
  beginInvocation(obs, currentConfig().stage, context);
  try {
    for (const upload of uploads) receipts.push(...(await ingestOne(deps, upload)));
  } finally {
    if (receipts.length > 0) obs.metrics.publishStoredMetrics();
  }
  return { receipts };
}

/** One upload, with its key on every log line about it and one line for its outcome. */
async function ingestOne(deps: IngestDeps, upload: UploadRef): Promise<Receipt[]> {
  obs.logger.appendKeys({ uploadKey: upload.key });
  try {
    const receipt = await ingestUpload(deps, upload);
    if (!receipt) {
      obs.logger.info('not an upload: nothing to do');
      return [];
    }
    count(obs, OUTCOME_METRIC[receipt.status]);
    obs.logger.info(`upload ${receipt.status}`, {
      status: receipt.status,
      dept: receipt.dept,
      period: receipt.period,
      version: receipt.version,
      errors: receipt.counts.errors,
      warnings: receipt.counts.warnings,
      sha256: receipt.source.sha256,
      receipt: receipt.objects.receipt,
    });
    // The answer lists what a receipt lists: a Lambda response is capped at 6 MB.
    return [listedReceipt(receipt)];
  } catch (error) {
    obs.logger.error('upload failed; the event will be retried', error as Error);
    throw error;
  } finally {
    obs.logger.removeKeys(['uploadKey']);
  }
}
