import { type ChainLink, isSealed } from '../../core/archive/chain.ts';
import { type Finding, finding } from '../../core/archive/findings.ts';
import type { AuditEvent } from '../../core/audit-event.ts';
import type { BulletinRun } from '../../core/bulletin/bulletin-run.ts';
import { keys } from '../../shared/storage-keys.ts';

/**
 * The other records of each issue, written at the time by other code paths: the audit log's
 * `bulletin.issued` event and the bulletin ledger's ARCHIVED entry both hold the manifest's
 * sha256. Every sealed link must agree with them, and every version they say was issued
 * must be in the chain: a link dropped from the chain, or a manifest swapped with the
 * chain rewritten to match, still disagrees with what was recorded when it went out.
 */

const versionId = (period: string, version: number) => `${period}#v${version}`;

export function checkAnchors(input: {
  readonly links: readonly ChainLink[];
  readonly events: readonly AuditEvent[];
  readonly runs: ReadonlyMap<string, readonly BulletinRun[]>;
  readonly period?: string;
}): Finding[] {
  const findings: Finding[] = [];
  const inScope = (period: string) => input.period === undefined || period === input.period;
  const linked = new Map(input.links.map((l) => [versionId(l.period, l.version), l]));
  const issued = new Map<string, { at: string; sha: unknown }>();
  for (const e of input.events) {
    if (e.action !== 'bulletin.issued' || !inScope(e.period)) continue;
    issued.set(versionId(e.period, Number(e.detail.version)), { at: e.at, sha: e.detail.manifestSha256 });
  }
  const pre = input.links.length === 0;
  const notInChain = (key: string, zhWhat: string, enWhat: string) =>
    finding(
      'BROKEN-CHAIN',
      key,
      `${zhWhat}记为已发布，但不在哈希链中${pre ? '（运行 duban archive chain --init）' : ''}`,
      `${enWhat} records it as issued, but the chain has no link for it${pre ? ' (run `duban archive chain --init`)' : ''}`,
    );

  for (const link of input.links) {
    if (!isSealed(link) || !inScope(link.period)) continue;
    const id = versionId(link.period, link.version);
    const manifestKey = keys.bulletinManifest(link.period, link.version);
    const event = issued.get(id);
    if (!event) {
      findings.push(
        finding(
          'MISSING',
          `audit bulletin.issued#${id}`,
          `审计日志中没有链环 #${link.seq} 的发布记录`,
          `the audit log has no bulletin.issued event for chain link #${link.seq}`,
          {
            seq: link.seq,
          },
        ),
      );
    } else if (event.sha !== link.seal.manifestSha256) {
      findings.push(
        finding(
          'FORGED-MANIFEST',
          manifestKey,
          '链环记录的清单 sha256 与发布时审计日志记录的不同',
          'the sha256 the chain holds differs from the one the audit log recorded at issue',
          {
            seq: link.seq,
            expected: String(event.sha),
            actual: link.seal.manifestSha256,
          },
        ),
      );
    }
    const archived = input.runs.get(link.period)?.find((r) => r.version === link.version)?.archived;
    if (archived && archived.manifestSha256 !== link.seal.manifestSha256) {
      findings.push(
        finding(
          'FORGED-MANIFEST',
          manifestKey,
          '链环记录的清单 sha256 与通报台账记录的不同',
          'the sha256 the chain holds differs from the one the bulletin ledger recorded',
          {
            seq: link.seq,
            expected: archived.manifestSha256,
            actual: link.seal.manifestSha256,
          },
        ),
      );
    }
  }
  for (const id of issued.keys()) {
    if (!linked.has(id))
      findings.push(notInChain(`audit bulletin.issued#${id}`, '审计日志', 'the audit log'));
  }
  for (const [period, runs] of input.runs) {
    if (!inScope(period)) continue;
    for (const run of runs) {
      const id = versionId(period, run.version);
      if (run.archived && !linked.has(id) && !issued.has(id)) {
        findings.push(notInChain(`ledger BULLETIN#${id}`, '通报台账', 'the bulletin ledger'));
      }
    }
  }
  return findings;
}
