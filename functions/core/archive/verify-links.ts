import { type ChainLink, isSealed, type SealedLink, statementOf } from './chain.ts';
import { type Finding, finding } from './findings.ts';
import { checkSignature, type PublicKeyInfo } from './signature.ts';

/**
 * The chain on its own, walked from the first link: numbers without gaps (online, where the
 * ledger keeps every reservation), each sealed link naming the last sealed link before it
 * as predecessor, and every seal's signature made by the archive's key. Pure: the links and
 * the key are loaded by the caller.
 */

export interface LinkCheck {
  readonly findings: Finding[];
  /** Reservations a dead run left, and a head still being built: explained, not errors. */
  readonly notes: string[];
}

export const linkKey = (seq: number) => `chain #${seq}`;

export function checkLinks(
  links: readonly ChainLink[],
  key: PublicKeyInfo | undefined,
  options: {
    readonly district: string;
    /** Online the ledger keeps every number taken, so a gap means a link was removed. */
    readonly contiguous: boolean;
    /** A copy of part of the chain (one downloaded version): its first link's predecessor is elsewhere. */
    readonly partial?: boolean;
  },
): LinkCheck {
  const findings: Finding[] = [];
  const notes: string[] = [];
  let prevSealed: SealedLink | undefined;
  let prevSeq = 0;
  links.forEach((link, i) => {
    const where = linkKey(link.seq);
    if (link.seq <= prevSeq) {
      findings.push(
        finding(
          'BROKEN-CHAIN',
          where,
          `链序号重复或倒序（在 #${prevSeq} 之后）`,
          `sequence number repeats or goes back (after #${prevSeq})`,
          {
            seq: link.seq,
          },
        ),
      );
    } else if (options.contiguous && link.seq !== prevSeq + 1) {
      const gap = link.seq - 1 === prevSeq + 1 ? `#${prevSeq + 1}` : `#${prevSeq + 1}–#${link.seq - 1}`;
      findings.push(
        finding('BROKEN-CHAIN', where, `账本中缺少链环 ${gap}`, `link ${gap} is missing from the ledger`, {
          seq: link.seq,
        }),
      );
    }
    prevSeq = Math.max(prevSeq, link.seq);
    if (!isSealed(link)) {
      // A later number is only ever taken once this one was sealed or given up.
      const passedOver = i < links.length - 1;
      notes.push(
        passedOver
          ? `note: ${where} (${link.period} v${link.version}) was reserved by a run that died before archiving; the next link passes over it`
          : `note: ${where} (${link.period} v${link.version}) is reserved and not sealed yet: a run in progress, or one that died`,
      );
      return;
    }
    const expected = prevSealed;
    if (!expected && options.partial && link.prevSeq !== null) {
      notes.push(
        `note: ${where} follows #${link.prevSeq} (manifest sha256 ${link.prevManifestSha256}), which is not in this copy: compare it with the archive`,
      );
    } else if (
      link.prevSeq !== (expected?.seq ?? null) ||
      link.prevManifestSha256 !== (expected?.seal.manifestSha256 ?? null)
    ) {
      findings.push(
        finding(
          'BROKEN-CHAIN',
          where,
          `前一环应为 ${expected ? `#${expected.seq}` : '无'}，链环记为 ${link.prevSeq === null ? '无' : `#${link.prevSeq}`}`,
          `names ${link.prevSeq === null ? 'no predecessor' : `#${link.prevSeq}`} as its predecessor; the chain before it ends at ${expected ? `#${expected.seq}` : 'nothing'}`,
          {
            seq: link.seq,
            expected: expected?.seal.manifestSha256 ?? 'none',
            actual: link.prevManifestSha256 ?? 'none',
          },
        ),
      );
    }
    prevSealed = link;
    if (!key) return;
    const verdict = checkSignature(statementOf(options.district, link, link.seal), link.seal.signature, key);
    if (verdict.ok) return;
    findings.push(
      verdict.reason === 'other-key'
        ? finding('BAD-SIGNATURE', where, '由另一把密钥签名', 'signed by another key', {
            seq: link.seq,
            expected: key.fingerprint,
            actual: link.seal.signature.keyFingerprint,
          })
        : finding('BAD-SIGNATURE', where, '签名与链环内容不符', 'the signature does not match the link', {
            seq: link.seq,
          }),
    );
  });
  return { findings, notes };
}
