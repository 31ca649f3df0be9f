import { NotFoundError, UsageError } from './errors.ts';
import type { Submission } from './submission.ts';

/**
 * The auditor's view of raw uploads, without I/O: how a submission version is shown, in
 * which order, what an abbreviated sha256 resolves to, and what a downloaded original is
 * called on disk.
 */

/** Shorter prefixes than this are too easy to mistype into a different upload. */
export const MIN_SHA_PREFIX = 12;

export interface SubmissionAuditRow {
  readonly dept: string;
  readonly period: string;
  readonly version: number;
  readonly receivedAt: string;
  readonly uploader: string;
  readonly sha256: string;
  readonly rawKey: string;
  readonly sourceKey: string;
  /** For a correction (更正): the version it replaced and the indicator codes it changed. */
  readonly correction: { readonly previousVersion: number; readonly changedCodes: readonly string[] } | null;
}

/** Which upload a line speaks of: what the auditor's list and a department's history both show. */
export type SubmissionIdentity = Pick<
  SubmissionAuditRow,
  'dept' | 'period' | 'version' | 'receivedAt' | 'uploader' | 'sha256'
>;

export function submissionIdentity(s: Submission): SubmissionIdentity {
  return {
    dept: s.dept,
    period: s.period,
    version: s.version,
    receivedAt: s.receivedAt,
    uploader: s.uploader,
    sha256: s.sourceSha256,
  };
}

export function submissionAuditRow(s: Submission): SubmissionAuditRow {
  return {
    ...submissionIdentity(s),
    rawKey: s.rawKey,
    sourceKey: s.sourceKey,
    correction: s.correction
      ? {
          previousVersion: s.correction.previousVersion,
          changedCodes: s.correction.changes.map((c) => c.code),
        }
      : null,
  };
}

/** Newest period first; within a period by department, then versions in the order they came. */
export function auditOrder(a: Submission, b: Submission): number {
  return b.period.localeCompare(a.period) || a.dept.localeCompare(b.dept) || a.version - b.version;
}

/**
 * Resolves a full sha256 or a prefix of at least MIN_SHA_PREFIX hex characters against the
 * hashes that exist. Bad or ambiguous input is a usage error; no match is NotFoundError.
 */
export function resolveShaPrefix(input: string, available: Iterable<string>): string {
  const prefix = input.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(prefix) || prefix.length < MIN_SHA_PREFIX || prefix.length > 64) {
    throw new UsageError(
      `sha256 must be 64 hex characters or a prefix of at least ${MIN_SHA_PREFIX}, got "${input}"`,
    );
  }
  const matches = [...new Set(available)].filter((sha) => sha.startsWith(prefix)).sort();
  if (matches.length === 0) {
    throw new NotFoundError(`没有 sha256 为 ${prefix} 的原始上传 / no raw upload with sha256 ${prefix}`);
  }
  if (matches.length > 1) {
    throw new UsageError(`sha256 prefix ${prefix} matches ${matches.length} uploads: ${matches.join(', ')}`);
  }
  return matches[0] as string;
}

/** `<dept>-<period>-v<N>-<sha12>.<ext>` for a submitted original, else `<sha12>.<ext>`. */
export function rawFileName(sha256: string, ext: string, submission?: Submission): string {
  const short = sha256.slice(0, MIN_SHA_PREFIX);
  if (!submission) return `${short}.${ext}`;
  return `${submission.dept}-${submission.period}-v${submission.version}-${short}.${ext}`;
}
