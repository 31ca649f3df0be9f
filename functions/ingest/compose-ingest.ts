import { currentConfig } from '../adapters/aws-clients.ts';
import type { DubanConfig } from '../adapters/config.ts';
import { createStores } from '../adapters/dynamo-stores.ts';
import { createMailer } from '../adapters/mailer.ts';
import { createObjectStore } from '../adapters/s3-object-store.ts';
import { systemClock } from '../adapters/system-clock.ts';
import { annotatedCopyWriter } from '../adapters/workbook/annotated-copy.ts';
import { createWorkbookReader } from '../adapters/workbook/workbook-reader.ts';
import type { IngestDeps } from '../use-cases/ingest/ingest-upload.ts';
import type { Mailer } from '../use-cases/ports/bulletin.ts';

/**
 * The ingest use case wired to the real adapters. Cheap to call per invocation: the SDK
 * clients behind the stores are created once per process (aws-clients.ts).
 */
export function composeIngest(options: Pick<IngestDeps, 'onMail'> = {}): IngestDeps {
  const stores = createStores();
  const config = currentConfig();
  const mailer = receiptMailer(config);
  return {
    ...(mailer ? { mailer } : {}),
    ...(config.portalUrl ? { portalUrl: config.portalUrl } : {}),
    ...options,
    objects: createObjectStore(),
    submissions: stores.submissions,
    audit: stores.audit,
    catalogs: stores.catalogs,
    reader: createWorkbookReader(),
    annotator: annotatedCopyWriter,
    trust: config.uploadTrust,
  };
}

/**
 * Receipts are mailed where mail can go: the outbox locally (the CLI and `duban local` set it),
 * SES on AWS (synth requires the sender). A local run with no outbox, e.g. a test of the
 * stores alone, mails nothing rather than failing the upload.
 */
function receiptMailer(config: DubanConfig): Mailer | undefined {
  const local = Boolean(config.s3Endpoint || config.dynamoEndpoint);
  if (config.outboxDir || (!local && config.senderEmail)) return createMailer(config, systemClock);
  return undefined;
}
