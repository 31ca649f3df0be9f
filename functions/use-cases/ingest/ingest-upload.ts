import type { Receipt } from '../../core/ingest/receipt.ts';
import { NO_TRUST, type UploadTrust } from '../../core/ingest/upload-identity.ts';
import { keys } from '../../shared/storage-keys.ts';
import type { Mailer } from '../ports/bulletin.ts';
import type { AnnotatedCopyWriter, WorkbookReader } from '../ports/ingest.ts';
import type { AuditLog, CatalogStore, ObjectStore, SubmissionStore } from '../ports/storage.ts';
import { checkUpload } from './check-upload.ts';
import { fetchUpload, type UploadRef } from './fetch-upload.ts';
import { mailReceipt, type ReceiptMailOutcome } from './mail-receipt.ts';
import { type IngestDecision, publishReceipt, recordOutcome } from './publish-receipt.ts';
import { storeSubmission } from './store-submission.ts';

export type { UploadRef } from './fetch-upload.ts';

/**
 * The ingest use case: one uploaded object in, one receipt out. Every write is safe to
 * repeat, because S3 delivers events at least once: raw/ is content-addressed, the
 * submission is a conditional put of the next version, receipts are rewritten with the
 * same content, and the audit event id is derived from the object (key + etag).
 */
export interface IngestDeps {
  readonly objects: ObjectStore;
  readonly submissions: SubmissionStore;
  readonly audit: AuditLog;
  readonly catalogs: CatalogStore;
  readonly reader: WorkbookReader;
  readonly annotator: AnnotatedCopyWriter;
  /** Whose uploader metadata is believed (core/ingest/upload-identity.ts); by default no one's. */
  readonly trust?: UploadTrust;
  /** Conditional-write attempts before giving up (the event is then retried by S3/Lambda). */
  readonly maxAttempts?: number;
  /** Answers the department by mail (receipt, annotated copy); no mail without one. */
  readonly mailer?: Mailer;
  /** Linked from the receipt mail when set. */
  readonly portalUrl?: string;
  /** Told what became of the receipt mail (the handler logs it). */
  readonly onMail?: (outcome: ReceiptMailOutcome) => void;
}

/** Processes one uploaded object; undefined when the key is not an upload (nothing to do). */
export async function ingestUpload(deps: IngestDeps, upload: UploadRef): Promise<Receipt | undefined> {
  const place = keys.parseIncoming(upload.key);
  if (!place) return undefined;
  const fetched = await fetchUpload(
    { objects: deps.objects, limits: deps.reader.limits, trust: deps.trust ?? NO_TRUST },
    upload,
    place,
  );
  const checked = await checkUpload(deps, fetched);
  const decision: IngestDecision =
    checked.kind === 'rejected'
      ? { kind: 'rejected', checked }
      : {
          kind: 'stored',
          checked,
          stored: await storeSubmission(deps.submissions, fetched, checked, deps.maxAttempts),
        };
  const { receipt, annotated } = await publishReceipt(deps, fetched, decision);
  const first = await recordOutcome(deps.audit, fetched, decision, receipt);
  // Once per upload event: a redelivered event finds its audit event and mails nothing. A mail
  // that fails throws (the function's error alarm fires); the receipt stays in the portal.
  if (deps.mailer && first) {
    const outcome = await mailReceipt({ ...deps, mailer: deps.mailer }, fetched, receipt, annotated);
    deps.onMail?.(outcome);
  }
  return receipt;
}
