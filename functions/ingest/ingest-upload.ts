import { createHash } from 'node:crypto';
import { writeAnnotatedCopy } from '../adapters/workbook/annotated-copy.ts';
import { OoxmlEditError } from '../adapters/workbook/ooxml-xml.ts';
import { readWorkbook } from '../adapters/workbook/workbook-reader.ts';
import {
  DEFAULT_LIMITS,
  fileTooLarge,
  type GuardLimits,
  WorkbookRejectedError,
} from '../adapters/workbook/zip-guard.ts';
import type { CatalogVersion } from '../core/catalog/catalog-schema.ts';
import { ObjectExistsError, RetriesExhaustedError, VersionConflictError } from '../core/errors.ts';
import type { ParsedWorkbook } from '../core/ingest/parsed-workbook.ts';
import { type Problem, problem } from '../core/ingest/problems.ts';
import { buildReceipt, type Receipt, type ReceiptInput } from '../core/ingest/receipt.ts';
import { validateUpload } from '../core/ingest/validate-upload.ts';
import type { AuditAction, AuditLog, CatalogStore, ObjectStore, SubmissionStore } from '../core/ports.ts';
import { diffValues, parsePeriod, previousPeriod, type Submission } from '../core/submission.ts';
import { keys, rawExtension } from '../shared/storage-keys.ts';

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
  readonly limits?: GuardLimits;
  /** Conditional-write attempts before giving up (the event is then retried by S3/Lambda). */
  readonly maxAttempts?: number;
}

export interface UploadRef {
  readonly bucket: string;
  readonly key: string;
  /** S3 etag of the object version the event is about. */
  readonly etag?: string;
  /** S3 sequencer: distinct for every PUT of a key, equal when an event is redelivered. */
  readonly sequencer?: string;
  /** ISO time the object was created (the event time). */
  readonly eventTime: string;
  /** Who uploaded (IAM principal), when the event says. */
  readonly principal?: string;
}

/** Object metadata names the CLI sets for the uploader's stated flags. */
export const UPLOAD_METADATA = { dept: 'dept', period: 'period', uploader: 'uploader' } as const;

const DEFAULT_ATTEMPTS = 20;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Deterministic per PUT of an object: a redelivered event yields the same id (so it finds
 * its version and appends nothing to the audit log); a new PUT of the same key does not.
 */
export function uploadEventId(upload: UploadRef, contentSha: string): string {
  const identity = `${upload.bucket}/${upload.key}#${upload.etag ?? contentSha}#${upload.sequencer ?? ''}`;
  return `ingest-${createHash('sha256').update(identity).digest('hex').slice(0, 32)}`;
}

async function putOnce(
  objects: ObjectStore,
  bucket: string,
  key: string,
  body: Uint8Array | string,
  contentType: string,
): Promise<void> {
  try {
    await objects.put(bucket, key, body, { contentType, ifNoneMatch: true });
  } catch (error) {
    // Same key, same content-derived name: the bytes were kept by an earlier delivery.
    if (!(error instanceof ObjectExistsError)) throw error;
  }
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Decision {
  readonly status: 'accepted' | 'unchanged';
  readonly submission: Submission;
  /** True when an earlier delivery of this very object already stored the version. */
  readonly redelivered: boolean;
}

/** Picks the version to write, retrying the conditional put when a concurrent upload wins. */
async function storeSubmission(
  deps: IngestDeps,
  draft: Omit<Submission, 'version' | 'correction'> & { readonly sourceEventId: string },
): Promise<Decision> {
  const attempts = deps.maxAttempts ?? DEFAULT_ATTEMPTS;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const versions = await deps.submissions.versions(draft.dept, draft.period);
    const same = versions.find((v) => v.sourceEventId === draft.sourceEventId);
    if (same) return { status: 'accepted', submission: same, redelivered: true };
    const latest = versions.reduce<Submission | undefined>(
      (a, v) => (!a || v.version > a.version ? v : a),
      undefined,
    );
    if (latest && isSameContent(latest, draft))
      return { status: 'unchanged', submission: latest, redelivered: false };
    const submission: Submission = {
      ...draft,
      version: (latest?.version ?? 0) + 1,
      ...(latest
        ? {
            correction: { previousVersion: latest.version, changes: diffValues(latest.values, draft.values) },
          }
        : {}),
    };
    try {
      await deps.submissions.put(submission);
      return { status: 'accepted', submission, redelivered: false };
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // Another upload for this department and month won the version; read again.
    }
  }
  throw new RetriesExhaustedError(
    `submission ${draft.dept} ${draft.period}: ${attempts} conditional writes lost to concurrent uploads`,
  );
}

/** Same bytes, or the same values and notes in another file: nothing to store. */
function isSameContent(latest: Submission, draft: Pick<Submission, 'sourceSha256' | 'values'>): boolean {
  if (latest.sourceSha256 === draft.sourceSha256) return true;
  if (diffValues(latest.values, draft.values).length > 0) return false;
  const notes = (s: Pick<Submission, 'values'>) =>
    JSON.stringify(s.values.map((v) => [v.code, v.note ?? '']).sort());
  return notes(latest) === notes(draft);
}

function containerProblem(error: unknown): Problem {
  if (error instanceof WorkbookRejectedError) return error.problem;
  throw error;
}

/** Processes one uploaded object; undefined when the key is not an upload (nothing to do). */
export async function ingestUpload(deps: IngestDeps, upload: UploadRef): Promise<Receipt | undefined> {
  const where = keys.parseIncoming(upload.key);
  if (!where) return undefined;
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const info = await deps.objects.head(upload.bucket, upload.key);
  // An oversized object is refused from its size alone: never pulled into memory, left in incoming/.
  const oversized = info !== undefined && info.size > limits.maxFileBytes;
  const bytes = oversized ? undefined : await deps.objects.get(upload.bucket, upload.key);
  const sha = bytes
    ? sha256(bytes)
    : `unread-${(upload.etag ?? info?.etag ?? 'unknown').replace(/[^0-9A-Za-z]/g, '')}`;
  const rawKey = bytes ? keys.raw(sha, rawExtension(where.file)) : upload.key;
  // The original is kept before anything can go wrong with it.
  if (bytes) await putOnce(deps.objects, upload.bucket, rawKey, bytes, info?.contentType ?? XLSX_TYPE);

  const metadata = info?.metadata ?? {};
  const uploader = metadata[UPLOAD_METADATA.uploader] || upload.principal || 'unknown';
  const targets = keys.uploadOutputs(where, sha);
  const source: Receipt['source'] = {
    bucket: upload.bucket,
    key: upload.key,
    sha256: sha,
    size: bytes?.length ?? info?.size ?? 0,
    receivedAt: upload.eventTime,
    uploader,
  };
  const eventId = uploadEventId(upload, sha);

  const problems: Problem[] = [];
  let workbook: ParsedWorkbook | undefined;
  let catalog: CatalogVersion | undefined;
  if (!bytes) {
    problems.push(fileTooLarge(info?.size ?? 0, limits));
  } else {
    try {
      workbook = readWorkbook(bytes, { limits });
    } catch (error) {
      problems.push(containerProblem(error));
    }
  }
  const year = parsePeriod(where.period)?.year;
  if (!year) {
    problems.push(
      problem({
        code: 'period-invalid',
        zh: `上传位置中的月份「${where.period}」格式不对,应为 YYYY-MM`,
        en: `the period "${where.period}" in the upload key must be YYYY-MM`,
        value: where.period,
      }),
    );
  } else if (workbook) {
    catalog = await deps.catalogs.get(year);
    if (!catalog) {
      problems.push(
        problem({
          code: 'catalog-missing',
          zh: `${year} 年目标目录尚未导入,暂时无法接收报送,请联系统计办`,
          en: `no target catalog is loaded for ${year}; contact the statistics office`,
          value: year,
        }),
      );
    }
  }
  const validation =
    workbook && catalog && problems.length === 0
      ? validateUpload(workbook, {
          catalog: catalog.catalog,
          catalogVersion: catalog.version,
          key: { dept: where.dept, period: where.period },
          flags: {
            dept: metadata[UPLOAD_METADATA.dept] || undefined,
            period: metadata[UPLOAD_METADATA.period] || undefined,
          },
          previous: await deps.submissions.latest(where.dept, previousPeriod(where.period) ?? ''),
        })
      : undefined;
  if (validation) problems.push(...validation.problems);
  const dept = validation?.dept ?? where.dept;
  const period = validation?.period ?? where.period;
  const base = {
    dept,
    period,
    problems,
    rows: validation?.rows ?? 0,
    values: validation?.values.length ?? 0,
    source,
    catalog: catalog ? { year: catalog.year, version: catalog.version } : undefined,
    templateId: validation?.templateId,
  };
  // A copy with problem cells highlighted, when there is a workbook and something to highlight.
  const annotatedKey = workbook && problems.length > 0 ? targets.annotated : null;

  if (!validation || problems.some((p) => p.severity === 'error')) {
    const receipt = buildReceipt({
      ...base,
      status: 'rejected',
      objects: {
        raw: rawKey,
        receipt: targets.json,
        annotated: annotatedKey,
        quarantine: bytes ? targets.quarantine : null,
      },
    });
    if (bytes)
      await putOnce(deps.objects, upload.bucket, targets.quarantine, bytes, info?.contentType ?? XLSX_TYPE);
    const written = await writeReceipt(deps, upload.bucket, receipt, annotatable(bytes, workbook), [
      targets.json,
      ...(bytes ? [targets.quarantineReceipt] : []),
    ]);
    await record(deps.audit, upload, eventId, 'submission.rejected', written);
    return written;
  }

  const decision = await storeSubmission(deps, {
    dept,
    period,
    catalogYear: catalog?.year ?? 0,
    catalogVersion: catalog?.version ?? 0,
    values: validation.values,
    sourceSha256: sha,
    rawKey,
    sourceKey: upload.key,
    sourceEventId: eventId,
    uploader,
    receivedAt: upload.eventTime,
    status: 'accepted',
  });
  const stored = decision.submission;
  const input: ReceiptInput = {
    ...base,
    status: decision.status,
    version: stored.version,
    correction: decision.status === 'accepted' ? stored.correction : undefined,
    objects: { raw: rawKey, receipt: targets.json, annotated: annotatedKey, quarantine: null },
  };
  const receipt = buildReceipt(input);
  const written = await writeReceipt(deps, upload.bucket, receipt, annotatable(bytes, workbook), [
    targets.json,
  ]);
  const action: AuditAction =
    decision.status === 'unchanged'
      ? 'submission.unchanged'
      : stored.correction
        ? 'submission.corrected'
        : 'submission.accepted';
  await record(deps.audit, upload, eventId, action, written);
  return written;
}

interface Annotatable {
  readonly bytes: Uint8Array;
  /** The upload as already read, so the copy does not parse it a second time. */
  readonly workbook: ParsedWorkbook;
}

function annotatable(
  bytes: Uint8Array | undefined,
  workbook: ParsedWorkbook | undefined,
): Annotatable | undefined {
  return bytes && workbook ? { bytes, workbook } : undefined;
}

/** Writes the annotated copy (when there is one) and the receipt; returns the receipt as written. */
async function writeReceipt(
  deps: IngestDeps,
  bucket: string,
  receipt: Receipt,
  original: Annotatable | undefined,
  jsonKeys: readonly string[],
): Promise<Receipt> {
  let written = receipt;
  if (receipt.objects.annotated && original) {
    try {
      const annotated = await writeAnnotatedCopy(original.bytes, receipt, original.workbook);
      await deps.objects.put(bucket, receipt.objects.annotated, annotated, { contentType: XLSX_TYPE });
    } catch (error) {
      // The reader only inflates the parts it needs; a file damaged elsewhere can still fail
      // to annotate. The department gets its receipt all the same, just without the copy.
      if (!(error instanceof WorkbookRejectedError || error instanceof OoxmlEditError)) throw error;
      written = { ...receipt, objects: { ...receipt.objects, annotated: null } };
    }
  }
  const json = `${JSON.stringify(written, null, 2)}\n`;
  // The JSON goes last: its presence tells a waiting client that everything is written.
  for (const key of jsonKeys) {
    await deps.objects.put(bucket, key, json, { contentType: 'application/json; charset=utf-8' });
  }
  return written;
}

async function record(
  audit: AuditLog,
  upload: UploadRef,
  eventId: string,
  action: AuditAction,
  receipt: Receipt,
): Promise<void> {
  await audit.append({
    eventId,
    at: upload.eventTime,
    action,
    actor: receipt.source.uploader,
    period: receipt.period ?? 'unknown',
    ...(receipt.dept ? { dept: receipt.dept } : {}),
    detail: {
      key: upload.key,
      sha256: receipt.source.sha256,
      status: receipt.status,
      version: receipt.version,
      receipt: receipt.objects.receipt,
      errors: receipt.errors.map((e) => ({ code: e.code, cell: e.cell, indicator: e.indicator })),
      warnings: receipt.counts.warnings,
      ...(receipt.correction
        ? { previousVersion: receipt.correction.previousVersion, changes: receipt.correction.changes }
        : {}),
    },
  });
}
