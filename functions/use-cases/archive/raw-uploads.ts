import { createHash } from 'node:crypto';
import { InputRejectedError } from '../../core/errors.ts';
import { auditOrder, rawFileName, resolveShaPrefix } from '../../core/raw-uploads.ts';
import type { Submission } from '../../core/submission.ts';
import { keys } from '../../shared/storage-keys.ts';
import type { ObjectStore, SubmissionHistory } from '../ports/storage.ts';

/**
 * Raw uploads for auditors: every original a department uploaded is kept in the uploads
 * bucket under raw/<sha256>.<ext>, and every submission version names its original by
 * rawKey and sourceSha256. This module lists those versions and hands out an original by its
 * hash, refusing bytes that no longer hash to it (verify-raw.ts checks them all).
 */

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
}
