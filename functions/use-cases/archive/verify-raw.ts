import { type Finding, finding } from '../../core/archive/findings.ts';
import type { Submission } from '../../core/submission.ts';
import { keys } from '../../shared/storage-keys.ts';
import type { ArchiveView } from './archive-view.ts';
import type { CheckedVersion } from './verify-versions.ts';

/**
 * The original uploads under raw/: each hashes to the name it is kept under, every submission
 * version's original is there with the sha256 the version recorded, and every original a
 * sealed manifest used (its `sources`) is still the one the submission names, so replacing
 * an upload means forging the signed chain too.
 */

export interface RawContext {
  readonly view: ArchiveView;
  /** Online: every submission version (the ledger's record of each upload). Offline: none. */
  readonly submissions?: readonly Submission[];
  readonly versions: readonly CheckedVersion[];
  readonly period?: string;
}

export interface RawResult {
  readonly findings: Finding[];
  readonly notes: string[];
  readonly rawObjectsChecked: number;
  readonly submissionsChecked: number;
}

const recordKey = (dept: string, period: string, version: number) =>
  `submission ${dept} ${period} v${version}`;

export async function checkRaw(ctx: RawContext): Promise<RawResult> {
  const findings: Finding[] = [];
  const notes: string[] = [];
  const subs = (ctx.submissions ?? []).filter((s) => ctx.period === undefined || s.period === ctx.period);
  const listed = ctx.view.keys();
  if (!ctx.submissions && listed.length === 0) {
    notes.push('note: the copy holds no raw/ uploads: the originals were not checked');
  }
  // One period: only the originals its submissions name; the whole archive: every original.
  const toHash = ctx.period && ctx.submissions ? [...new Set(subs.map((s) => s.rawKey))] : listed;
  const digests = await ctx.view.digestAll(toHash);
  for (const [key, d] of digests) {
    const parsed = keys.parseRaw(key);
    if (!parsed) {
      findings.push(
        finding('ORPHAN', key, '不是 raw/<sha256>.<ext> 形式的原始上传', 'not named raw/<sha256>.<ext>', {
          actual: d.sha256,
        }),
      );
    } else if (parsed.sha256 !== d.sha256) {
      // Name the submissions it was the original of: that is what a disputed figure traces to.
      const by = subs.filter((s) => s.rawKey === key).map((s) => `${s.dept} ${s.period} v${s.version}`);
      const named = by.length > 0 ? by.join(', ') : '';
      findings.push(
        finding(
          'CHANGED',
          key,
          `内容与其 sha256 名称不符${named ? `（${named} 的原始文件）` : ''}`,
          `its bytes no longer hash to its name${named ? ` (the original of ${named})` : ''}`,
          { expected: parsed.sha256, actual: d.sha256 },
        ),
      );
    }
  }
  for (const s of subs) {
    if (!ctx.view.has(s.rawKey)) {
      findings.push(
        finding(
          'MISSING',
          s.rawKey,
          `原始上传缺失（${s.dept} ${s.period} 第${s.version}版）`,
          `raw upload is missing (named by ${s.dept} ${s.period} v${s.version})`,
          {
            expected: s.sourceSha256,
          },
        ),
      );
    } else if (keys.parseRaw(s.rawKey)?.sha256 !== s.sourceSha256) {
      findings.push(
        finding(
          'CHANGED',
          recordKey(s.dept, s.period, s.version),
          `报送记录的 sha256 与其原始文件 ${s.rawKey} 不符`,
          `records sha256 ${s.sourceSha256} but names ${s.rawKey}`,
          {
            expected: s.sourceSha256,
          },
        ),
      );
    }
  }
  checkSources(ctx, findings);
  return { findings, notes, rawObjectsChecked: digests.size, submissionsChecked: subs.length };
}

/** The originals each sealed manifest used: still named by their submission, still in raw/. */
function checkSources(ctx: RawContext, findings: Finding[]): void {
  const byVersion = new Map((ctx.submissions ?? []).map((s) => [recordKey(s.dept, s.period, s.version), s]));
  for (const v of ctx.versions) {
    const m = v.manifest;
    for (const [period, depts] of Object.entries(m.sources ?? {})) {
      for (const [dept, src] of Object.entries(depts)) {
        const version = m.submissionVersions[period]?.[dept];
        const where = `${m.period} v${m.version}`;
        if (!ctx.view.has(src.key)) {
          findings.push(
            finding(
              'MISSING',
              src.key,
              `${where} 所用的原始上传缺失（${dept} ${period}）`,
              `the original ${where} used (${dept} ${period}) is missing`,
              {
                seq: v.link.seq,
                expected: src.sha256,
              },
            ),
          );
        }
        if (!ctx.submissions || version === undefined) continue;
        const record = byVersion.get(recordKey(dept, period, version));
        if (!record) {
          findings.push(
            finding(
              'MISSING',
              recordKey(dept, period, version),
              `${where} 所依据的报送记录缺失`,
              `the submission ${where} was built from is missing`,
              {
                seq: v.link.seq,
                expected: src.sha256,
              },
            ),
          );
        } else if (record.sourceSha256 !== src.sha256 || record.rawKey !== src.key) {
          findings.push(
            finding(
              'CHANGED',
              recordKey(dept, period, version),
              `报送记录的原始文件与已签名的 ${where} 清单不符`,
              `names another original than the signed manifest of ${where} recorded`,
              {
                seq: v.link.seq,
                expected: src.sha256,
                actual: record.sourceSha256,
              },
            ),
          );
        }
      }
    }
  }
}
