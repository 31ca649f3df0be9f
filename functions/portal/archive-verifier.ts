import type { ArchiveVerification } from '../use-cases/archive/verify-archive.ts';
import type { ArchiveVerifier, ArchiveVerifyResult } from '../use-cases/ports/portal.ts';

/**
 * The auditor's page runs the same verification as `duban archive verify`; this turns its
 * report into the page's lines: a Chinese summary per part checked, and every finding with
 * its kind (CHANGED, FORGED-MANIFEST, BROKEN-CHAIN …) and what is wrong in both languages.
 */

function summaryZh(r: ArchiveVerification): string[] {
  const head = r.chain.head;
  const chain = [
    `哈希链 ${r.chain.links} 环，已签名 ${r.chain.sealed} 环`,
    head ? `链首 #${head.seq}（${head.period} 第${head.version}版，清单 sha256 ${head.manifestSha256}）` : '',
    r.chain.key ? `签名公钥 ${r.chain.key.algorithm} ${r.chain.key.fingerprint}` : '',
  ].filter(Boolean);
  return [
    chain.join('；'),
    `通报 ${r.bulletins.versions} 个版本、${r.bulletins.objectsChecked} 个文件已与清单核对`,
    `原始报送 ${r.raw.rawObjectsChecked} 个文件、${r.raw.submissionsChecked} 个报送版本已核对`,
    r.history.checked
      ? `对象版本 ${r.history.versionsListed} 个、对象锁 ${r.history.locksChecked} 个已核对`
      : '对象版本与对象锁：本地存储不保留，仅在 AWS 上核对',
    r.ok ? '结论：全部核验通过' : `结论：${r.findings.length} 处问题`,
    ...r.notes,
  ];
}

export function toPortalResult(r: ArchiveVerification): ArchiveVerifyResult {
  return {
    ok: r.ok,
    summary: summaryZh(r),
    findings: r.findings.map((f) => ({
      key: f.key,
      kind: f.kind,
      detail: [
        `${f.zh} / ${f.en}`,
        f.expected && `应为 expected ${f.expected}`,
        f.actual && `实为 actual ${f.actual}`,
      ]
        .filter(Boolean)
        .join('; '),
    })),
    report: r,
  };
}

export function portalVerifier(
  verify: (options?: { period?: string }) => Promise<ArchiveVerification>,
): ArchiveVerifier {
  return { verify: async (period) => toPortalResult(await verify(period ? { period } : {})) };
}
