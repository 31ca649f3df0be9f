import type { AuditAction } from '../../core/audit-event.ts';
import { buildReceipt, listedReceipt, type Receipt } from '../../core/ingest/receipt.ts';
import { LIMITS, utf8Bytes } from '../../shared/limits.ts';
import type { AnnotatedCopyWriter } from '../ports/ingest.ts';
import type { AuditLog, ObjectStore } from '../ports/storage.ts';
import type { CheckedUpload } from './check-upload.ts';
import { type FetchedUpload, putOnce, XLSX_TYPE } from './fetch-upload.ts';
import type { StoredSubmission } from './store-submission.ts';

/** What ingest decided about an upload: rejected with its problems, or stored (or unchanged). */
export type IngestDecision =
  | { readonly kind: 'rejected'; readonly checked: Extract<CheckedUpload, { kind: 'rejected' }> }
  | {
      readonly kind: 'stored';
      readonly checked: Extract<CheckedUpload, { kind: 'valid' }>;
      readonly stored: StoredSubmission;
    };

/**
 * Step 4: answer the department. A rejected original goes to quarantine/ too; an upload with
 * problems gets a copy with them marked; the receipt JSON is written last, because its
 * presence tells a waiting client (the CLI, the portal) that everything else is there.
 */
export async function publishReceipt(
  deps: { readonly objects: ObjectStore; readonly annotator: AnnotatedCopyWriter },
  fetched: FetchedUpload,
  decision: IngestDecision,
): Promise<{ receipt: Receipt; annotated?: Uint8Array }> {
  const { checked } = decision;
  const { outputs } = fetched;
  const bucket = fetched.upload.bucket;
  const quarantined = decision.kind === 'rejected' && fetched.content.kind === 'bytes';
  const stored = decision.kind === 'stored' ? decision.stored : undefined;
  const annotate = checked.read !== null && checked.problems.length > 0;
  let receipt = buildReceipt({
    ...checked.facts,
    status: stored?.status ?? 'rejected',
    version: stored?.submission.version,
    correction: stored?.status === 'accepted' ? stored.submission.correction : undefined,
    problems: checked.problems,
    source: fetched.source,
    objects: {
      raw: fetched.rawKey,
      receipt: outputs.json,
      annotated: annotate ? outputs.annotated : null,
      quarantine: quarantined ? outputs.quarantine : null,
    },
  });
  if (quarantined && fetched.content.kind === 'bytes') {
    await putOnce(deps.objects, bucket, outputs.quarantine, fetched.content.bytes, fetched.contentType);
  }
  let annotated: Uint8Array | undefined;
  if (annotate && checked.read) {
    annotated = await deps.annotator.write(checked.read, receipt);
    if (annotated) await deps.objects.put(bucket, outputs.annotated, annotated, { contentType: XLSX_TYPE });
    else receipt = { ...receipt, objects: { ...receipt.objects, annotated: null } };
  }
  const json = `${JSON.stringify(receipt, null, 2)}\n`;
  for (const key of quarantined ? [outputs.json, outputs.quarantineReceipt] : [outputs.json]) {
    await deps.objects.put(bucket, key, json, { contentType: 'application/json; charset=utf-8' });
  }
  return annotated ? { receipt, annotated } : { receipt };
}

function auditAction(decision: IngestDecision): AuditAction {
  if (decision.kind === 'rejected') return 'submission.rejected';
  if (decision.stored.status === 'unchanged') return 'submission.unchanged';
  return decision.stored.submission.correction ? 'submission.corrected' : 'submission.accepted';
}

/**
 * Step 5: the audit event, keyed by the upload event so a redelivery appends nothing (and
 * answers false, which is how the receipt mail knows it went out already). It
 * lists the errors the receipt lists and counts the rest (the receipt it points to has them
 * all), so an upload with 10,000 bad rows still fits in one table item; should the lists
 * still be too large for an item, only the counts and the pointer to the receipt are kept.
 */
export async function recordOutcome(
  audit: AuditLog,
  fetched: FetchedUpload,
  decision: IngestDecision,
  full: Receipt,
): Promise<boolean> {
  const receipt = listedReceipt(full);
  const event = {
    eventId: fetched.eventId,
    at: fetched.upload.eventTime,
    action: auditAction(decision),
    actor: fetched.identity.actor,
    period: receipt.period ?? 'unknown',
    ...(receipt.dept ? { dept: receipt.dept } : {}),
  };
  const detail = {
    key: fetched.upload.key,
    // How the actor was known, and what the upload claimed when nothing vouched for it.
    identifiedBy: fetched.identity.identifiedBy,
    principal: fetched.identity.principal,
    ...(fetched.identity.declaredUploader ? { declaredUploader: fetched.identity.declaredUploader } : {}),
    sha256: receipt.source.sha256,
    status: receipt.status,
    version: receipt.version,
    receipt: receipt.objects.receipt,
    warnings: receipt.counts.warnings,
    ...(receipt.signatures ? { signatures: receipt.signatures } : {}),
  };
  const lists = {
    errors: receipt.errors.map((e) => ({ code: e.code, cell: e.cell, indicator: e.indicator })),
    ...(receipt.omitted?.errors ? { errorsNotListed: receipt.omitted.errors } : {}),
    ...(receipt.correction
      ? { previousVersion: receipt.correction.previousVersion, changes: receipt.correction.changes }
      : {}),
  };
  const whole = { ...event, detail: { ...detail, ...lists } };
  const fits = utf8Bytes(JSON.stringify(whole)) <= LIMITS.maxTableItemBytes;
  return audit.append(
    fits
      ? whole
      : {
          ...event,
          detail: {
            ...detail,
            errors: [],
            errorsNotListed: full.counts.errors,
            ...(receipt.correction
              ? {
                  previousVersion: receipt.correction.previousVersion,
                  changes: [],
                  changesNotListed: receipt.correction.changes.length,
                }
              : {}),
          },
        },
  );
}
