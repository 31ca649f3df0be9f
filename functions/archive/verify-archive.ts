import type { VerifyProblem, VerifyReport } from '../adapters/archive.ts';
import type { RawProblem, RawVerifyReport } from '../adapters/raw-archive.ts';

/**
 * Archive verification as the auditor runs it, from the CLI (`duban archive verify`) or the
 * portal's verify action: every bulletin object against its manifest, every raw upload
 * against its sha256. One verdict, one line per finding.
 */
export interface ArchiveVerifyDeps {
  readonly bulletins: { verify(period?: string): Promise<VerifyReport> };
  readonly raw: { verify(period?: string): Promise<RawVerifyReport> };
}

export interface Finding {
  readonly key: string;
  readonly kind: string;
  /** One line: what is wrong, in Chinese and English. */
  readonly line: string;
}

export interface ArchiveVerification {
  readonly ok: boolean;
  readonly bulletins: VerifyReport;
  readonly raw: RawVerifyReport;
  /** What was checked and the verdict of each part. */
  readonly summary: readonly string[];
  readonly findings: readonly Finding[];
  /** Folders of runs that never finished (no manifest): mentioned, not errors. */
  readonly notes: readonly string[];
}

export function problemLine(p: VerifyProblem): string {
  switch (p.kind) {
    case 'missing':
      return `MISSING   ${p.key} (对象缺失 / object is missing)`;
    case 'sha256-mismatch':
      return `CHANGED   ${p.key} (sha256 ${p.actual} ≠ manifest ${p.expected})`;
    case 'size-mismatch':
      return `CHANGED   ${p.key} (size ${p.actual} ≠ manifest ${p.expected})`;
    case 'unlisted':
      return `UNLISTED  ${p.key} (不在清单中 / not named by its version's manifest)`;
    case 'bad-manifest':
      return `BAD       ${p.key} (${p.actual})`;
  }
}

export function rawProblemLine(p: RawProblem): string {
  const by = p.submission
    ? ` named by ${p.submission.dept} ${p.submission.period} v${p.submission.version}`
    : '';
  switch (p.kind) {
    case 'missing':
      return `MISSING   ${p.key} (原始上传缺失 / raw upload is missing${by}; sha256 ${p.expected})`;
    case 'changed':
      return `CHANGED   ${p.key} (sha256 ${p.actual} ≠ ${p.expected}${by})`;
    case 'not-content-addressed':
      return `UNNAMED   ${p.key} (不是 raw/<sha256>.<ext> / not named by its sha256)`;
  }
}

export async function verifyArchive(deps: ArchiveVerifyDeps, period?: string): Promise<ArchiveVerification> {
  const bulletins = await deps.bulletins.verify(period);
  const raw = await deps.raw.verify(period);
  const bulletinsOk = bulletins.problems.length === 0;
  const rawOk = raw.problems.length === 0;
  return {
    ok: bulletinsOk && rawOk,
    bulletins,
    raw,
    summary: [
      `${bulletins.versions} versions, ${bulletins.objectsChecked} objects checked: ${bulletinsOk ? 'all match their manifests' : `${bulletins.problems.length} problem(s)`}`,
      `${raw.rawObjectsChecked} raw uploads, ${raw.submissionsChecked} submission versions checked: ${rawOk ? 'all match their sha256' : `${raw.problems.length} problem(s)`}`,
    ],
    findings: [
      ...bulletins.problems.map((p) => ({ key: p.key, kind: p.kind, line: problemLine(p) })),
      ...raw.problems.map((p) => ({ key: p.key, kind: p.kind, line: rawProblemLine(p) })),
    ],
    notes: bulletins.unfinished.map((f) => `note: ${f} has no manifest (an unfinished run; not a version)`),
  };
}
