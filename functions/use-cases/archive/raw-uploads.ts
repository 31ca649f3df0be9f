import { createHash } from 'node:crypto';
import { InputRejectedError } from '../../core/errors.ts';
import { auditOrder, rawFileName, resolveShaPrefix } from '../../core/raw-uploads.ts';
import type { Submission } from '../../core/submission.ts';
import { keys } from '../../shared/storage-keys.ts';
import type { ObjectStore, SubmissionHistory } from '../ports/storage.ts';

/**
 * Raw uploads for auditors: every original a department uploaded is kept in the uploads
 * bucket under raw/<sha256>.<ext>, and every submission version names its original by
 * rawKey and sourceSha256. This module lists those versions, hands out an original by its
 * hash, and checks that the bytes still hash to the name they are kept under.
 */

export type RawProblemKind = 'missing' | 'changed' | 'not-content-addressed';

export interface RawProblem {
  readonly key: string;
  readonly kind: RawProblemKind;
  readonly expected?: string;
  readonly actual?: string;
  /** The submission version that names the object, when one does. */
  readonly submission?: { readonly dept: string; readonly period: string; readonly version: number };
}

export interface RawVerifyReport {
  readonly rawObjectsChecked: number;
  readonly submissionsChecked: number;
  readonly problems: readonly RawProblem[];
}

export interface RawDownload {
  readonly sha256: string;
  readonly key: string;
  readonly fileName: string;
  readonly body: Uint8Array;
  /** Submission versions made from these bytes (several when the same file was sent again). */
  readonly submissions: readonly Submission[];
}

/** The stored original no longer hashes to its key: it must not be handed out as the original. */
export class RawUploadChangedError extends InputRejectedError {
  override readonly name: string = 'RawUploadChangedError';
  constructor(key: string, actual: string) {
    super(`原始上传已被改动 / raw upload ${key} has changed: its bytes hash to ${actual}`, [
      `CHANGED   ${key} (sha256 ${actual})`,
    ]);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const who = (s: Submission) => ({ dept: s.dept, period: s.period, version: s.version });

export class RawArchive {
  constructor(
    private readonly objects: ObjectStore,
    private readonly bucket: string,
    private readonly submissions: Pick<SubmissionHistory, 'allForPeriod' | 'periods'>,
  ) {}

  /** Every submission version (optionally of one period and/or department), newest period first. */
  async listSubmissions(filter: { period?: string; dept?: string } = {}): Promise<Submission[]> {
    const periods = filter.period ? [filter.period] : await this.submissions.periods();
    const all: Submission[] = [];
    for (const period of periods) all.push(...(await this.submissions.allForPeriod(period)));
    return all.filter((s) => !filter.dept || s.dept === filter.dept).sort(auditOrder);
  }

  /**
   * The original bytes for a sha256 or unique prefix, checked against the hash on the way:
   * bytes that no longer match are refused (RawUploadChangedError), never returned.
   */
  async getRaw(shaOrPrefix: string): Promise<RawDownload> {
    const stored = new Map<string, { key: string; ext: string }>();
    for (const o of await this.objects.list(this.bucket, keys.prefix.raw)) {
      const parsed = keys.parseRaw(o.key);
      if (parsed) stored.set(parsed.sha256, { key: o.key, ext: parsed.ext });
    }
    const sha = resolveShaPrefix(shaOrPrefix, stored.keys());
    const { key, ext } = stored.get(sha) as { key: string; ext: string };
    const body = await this.objects.get(this.bucket, key);
    const actual = sha256(body);
    if (actual !== sha) throw new RawUploadChangedError(key, actual);
    const submissions = (await this.listSubmissions())
      .filter((s) => s.sourceSha256 === sha)
      .sort((a, b) => a.period.localeCompare(b.period) || a.version - b.version);
    return { sha256: sha, key, body, fileName: rawFileName(sha, ext, submissions[0]), submissions };
  }

  /**
   * Hashes every raw/ object against its name (or, for one period, the objects its
   * submissions name), and checks that every submission version's rawKey is there with the
   * sha256 the version recorded.
   */
  async verify(period?: string): Promise<RawVerifyReport> {
    const subs = await this.listSubmissions(period ? { period } : {});
    const listed = await this.objects.list(this.bucket, keys.prefix.raw);
    const present = new Set(listed.map((o) => o.key));
    const referenced = new Set(subs.map((s) => s.rawKey));
    const toHash = period ? [...referenced].filter((k) => present.has(k)) : listed.map((o) => o.key);
    const problems = new Map<string, RawProblem>();
    const extra: RawProblem[] = [];
    const hashes = new Map<string, string>();
    for (const key of toHash.sort()) {
      const actual = sha256(await this.objects.get(this.bucket, key));
      hashes.set(key, actual);
      const parsed = keys.parseRaw(key);
      if (!parsed) problems.set(key, { key, kind: 'not-content-addressed', actual });
      else if (parsed.sha256 !== actual)
        problems.set(key, { key, kind: 'changed', expected: parsed.sha256, actual });
    }
    for (const s of subs) {
      // A rawKey outside raw/ is not in the listing: look it up on its own.
      let actual = hashes.get(s.rawKey);
      if (
        actual === undefined &&
        !present.has(s.rawKey) &&
        (await this.objects.head(this.bucket, s.rawKey))
      ) {
        actual = sha256(await this.objects.get(this.bucket, s.rawKey));
        hashes.set(s.rawKey, actual);
      }
      if (actual === s.sourceSha256) continue;
      const problem: RawProblem =
        actual === undefined
          ? { key: s.rawKey, kind: 'missing', expected: s.sourceSha256, submission: who(s) }
          : { key: s.rawKey, kind: 'changed', expected: s.sourceSha256, actual, submission: who(s) };
      // One line per object: name the submission on the object's own problem when it has none yet.
      const seen = problems.get(s.rawKey);
      if (!seen?.submission && (!seen || seen.expected === s.sourceSha256)) problems.set(s.rawKey, problem);
      else extra.push(problem);
    }
    const all = [...problems.values(), ...extra].sort((a, b) => a.key.localeCompare(b.key));
    return { rawObjectsChecked: hashes.size, submissionsChecked: subs.length, problems: all };
  }
}
