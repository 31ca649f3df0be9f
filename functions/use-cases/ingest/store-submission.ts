import { RetriesExhaustedError, VersionConflictError } from '../../core/errors.ts';
import { diffValues, type Submission } from '../../core/submission.ts';
import type { SubmissionStore } from '../ports/storage.ts';
import type { CheckedUpload } from './check-upload.ts';
import type { FetchedUpload } from './fetch-upload.ts';

/** Step 3's answer: the version the upload became, or the version it repeats. */
export interface StoredSubmission {
  readonly status: 'accepted' | 'unchanged';
  readonly submission: Submission;
  /** True when an earlier delivery of this very object already stored the version. */
  readonly redelivered: boolean;
}

/** Conditional-write attempts before giving up (the event is then retried by S3/Lambda). */
export const DEFAULT_ATTEMPTS = 20;

type Draft = Omit<Submission, 'version' | 'correction'> & { readonly sourceEventId: string };

/**
 * Step 3: store the values as the next version of the department's month. The version is a
 * conditional put, so a concurrent upload that wins it makes this one read again and retry.
 */
export async function storeSubmission(
  submissions: SubmissionStore,
  fetched: FetchedUpload,
  checked: Extract<CheckedUpload, { kind: 'valid' }>,
  maxAttempts = DEFAULT_ATTEMPTS,
): Promise<StoredSubmission> {
  const draft: Draft = {
    dept: checked.facts.dept,
    period: checked.facts.period,
    catalogYear: checked.catalog.year,
    catalogVersion: checked.catalog.version,
    values: checked.values,
    sourceSha256: fetched.source.sha256,
    rawKey: fetched.rawKey,
    sourceKey: fetched.upload.key,
    sourceEventId: fetched.eventId,
    uploader: fetched.identity.actor,
    receivedAt: fetched.upload.eventTime,
    status: 'accepted',
  };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const versions = await submissions.versions(draft.dept, draft.period);
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
      await submissions.put(submission);
      return { status: 'accepted', submission, redelivered: false };
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // Another upload for this department and month won the version; read again.
    }
  }
  throw new RetriesExhaustedError(
    `submission ${draft.dept} ${draft.period}: ${maxAttempts} conditional writes lost to concurrent uploads`,
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
