import type { SealedLink } from '../../core/archive/chain.ts';
import { sha256Hex } from '../../core/archive/digest.ts';
import { type Finding, finding } from '../../core/archive/findings.ts';
import { InputRejectedError } from '../../core/errors.ts';
import type { BulletinLedger, StoredVersion } from '../ports/bulletin.ts';
import type { AuditLog } from '../ports/storage.ts';
import { type ChainDeps, sealLink } from './chain-link.ts';

/**
 * `duban archive chain --init`: links, once, the versions issued before the chain existed.
 * Their manifests cannot be rewritten (Object Lock), so each becomes a *legacy* link — the
 * ledger and its seal carry the position, the statement it signs says `legacy: yes` — in
 * issue order. Nothing is linked that does not check out first: every file must match its
 * manifest and every manifest the sha256 the audit log and the bulletin ledger recorded when
 * it was issued; otherwise the command refuses and names what differs.
 */

export interface InitChainDeps extends ChainDeps {
  readonly audit: AuditLog;
  readonly ledger: Pick<BulletinLedger, 'runs'>;
  readonly actor: string;
}

export interface InitResult {
  readonly linked: readonly {
    readonly seq: number;
    readonly period: string;
    readonly version: number;
    readonly manifestSha256: string;
  }[];
}

export class ChainAlreadyInitialisedError extends InputRejectedError {
  override readonly name: string = 'ChainAlreadyInitialisedError';
}

/** Issue order: when each version was generated, then period and version. */
function issueOrder(a: StoredVersion, b: StoredVersion): number {
  const x = a.manifest;
  const y = b.manifest;
  return (
    x.generatedAt.localeCompare(y.generatedAt) || x.period.localeCompare(y.period) || x.version - y.version
  );
}

async function checkLegacy(deps: InitChainDeps, versions: readonly StoredVersion[]): Promise<Finding[]> {
  const problems: Finding[] = [];
  const issued = new Map<string, unknown>();
  for (const e of await deps.audit.list({})) {
    if (e.action === 'bulletin.issued')
      issued.set(`${e.period}#v${Number(e.detail.version)}`, e.detail.manifestSha256);
  }
  for (const v of versions) {
    const m = v.manifest;
    const recorded = [
      issued.get(`${m.period}#v${m.version}`),
      (await deps.ledger.runs(m.period)).find((r) => r.version === m.version)?.archived?.manifestSha256,
    ];
    for (const sha of recorded) {
      if (sha !== undefined && sha !== v.manifestSha256) {
        problems.push(
          finding(
            'FORGED-MANIFEST',
            v.manifestKey,
            '清单与发布时记录的 sha256 不同',
            'differs from the sha256 recorded when it was issued',
            {
              expected: String(sha),
              actual: v.manifestSha256,
            },
          ),
        );
      }
    }
    const { files } = await deps.archive.get(m.period, m.version);
    for (const { file, body } of files) {
      if (!body)
        problems.push(
          finding('MISSING', file.key, '对象缺失', 'object is missing', { expected: file.sha256 }),
        );
      else if (sha256Hex(body) !== file.sha256) {
        problems.push(
          finding('CHANGED', file.key, '内容与清单不符', 'its bytes differ from the manifest', {
            expected: file.sha256,
          }),
        );
      }
    }
  }
  return problems;
}

export async function initChain(deps: InitChainDeps): Promise<InitResult> {
  const existing = await deps.chain.links();
  if (existing.length > 0) {
    throw new ChainAlreadyInitialisedError(
      `哈希链已有 ${existing.length} 环，无需初始化 / the chain already has ${existing.length} link(s): --init links a pre-chain archive once`,
    );
  }
  const versions = (await deps.archive.list()).sort(issueOrder);
  const problems = await checkLegacy(deps, versions);
  if (problems.length > 0) {
    throw new InputRejectedError(
      `旧档案未通过核验，未建立哈希链 / the archive does not check out; nothing was linked`,
      problems.map((p) => p.line),
    );
  }
  const linked: SealedLink[] = [];
  for (const [i, stored] of versions.entries()) {
    const prev = linked.at(-1);
    const reservation = {
      seq: i + 1,
      prevSeq: prev?.seq ?? null,
      prevManifestSha256: prev?.seal.manifestSha256 ?? null,
      period: stored.manifest.period,
      version: stored.manifest.version,
      reservedAt: deps.clock().toISOString(),
      legacy: true,
    };
    await deps.chain.reserve(reservation);
    linked.push(await sealLink(deps, reservation, stored));
  }
  const at = deps.clock().toISOString();
  await deps.audit.append({
    eventId: `archive.chain-initialised#${at}`,
    at,
    action: 'archive.chain-initialised',
    actor: deps.actor,
    period: linked[0]?.period ?? at.slice(0, 7),
    detail: { links: linked.length, head: linked.at(-1)?.seal.manifestSha256 ?? null },
  });
  return {
    linked: linked.map((l) => ({
      seq: l.seq,
      period: l.period,
      version: l.version,
      manifestSha256: l.seal.manifestSha256,
    })),
  };
}
