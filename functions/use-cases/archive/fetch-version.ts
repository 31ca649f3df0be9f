import { isSealed, type SealedLink, sealBytes, sealDocument, statementOf } from '../../core/archive/chain.ts';
import { sha256Hex } from '../../core/archive/digest.ts';
import { type Finding, finding } from '../../core/archive/findings.ts';
import { unsafeNameReason } from '../../core/archive/safe-name.ts';
import { checkSignature } from '../../core/archive/signature.ts';
import { InputRejectedError } from '../../core/errors.ts';
import { DEFAULT_DISTRICT } from '../../shared/storage-keys.ts';
import type { ArchiveKey, ChainLedger } from '../ports/archive-chain.ts';
import type { BulletinArchive, StoredVersion } from '../ports/bulletin.ts';

/**
 * One archived version for download, proven before a byte is handed out: every file's name
 * is a plain name inside the version folder, every body hashes to its manifest entry (sha256
 * and size), and the manifest is the one its chain link sealed, under a valid signature.
 * Anything else refuses the whole version, naming each file, so `archive get` never writes a
 * file whose hash differs from its manifest.
 */

export class ArchiveMismatchError extends InputRejectedError {
  override readonly name: string = 'ArchiveMismatchError';
  constructor(
    what: string,
    readonly findings: readonly Finding[],
  ) {
    super(
      `档案与其清单或哈希链不符，未写出任何文件 / ${what} does not match its manifest or the chain; nothing was written`,
      findings.map((f) => f.line),
    );
  }
}

export interface VerifiedVersion {
  readonly stored: StoredVersion;
  /** The manifest exactly as archived (its sha256 is the one the chain sealed). */
  readonly manifestBytes: Uint8Array;
  /** The link's seal as archived beside it, so the copy can be verified offline. */
  readonly sealBytes?: string;
  readonly link?: SealedLink;
  readonly files: readonly { readonly name: string; readonly body: Uint8Array }[];
  /** Said about the version rather than wrong with it (e.g. an archive from before the chain). */
  readonly notes: readonly string[];
}

export interface FetchDeps {
  readonly archive: BulletinArchive;
  readonly chain: ChainLedger;
  readonly key: ArchiveKey;
  readonly district?: string;
}

export async function fetchVerifiedVersion(
  deps: FetchDeps,
  period: string,
  version?: number,
): Promise<VerifiedVersion> {
  const got = await deps.archive.get(period, version);
  const { stored } = got;
  const m = stored.manifest;
  const problems: Finding[] = [];
  const files: { name: string; body: Uint8Array }[] = [];
  for (const { file, body } of got.files) {
    const reason = unsafeNameReason(file.name);
    if (
      reason ||
      file.key !== `${m.folder}${file.name}` ||
      !file.key.startsWith(deps.archive.folder(m.period, m.version))
    ) {
      problems.push(
        finding(
          'UNSAFE-NAME',
          file.key,
          `文件名“${file.name}”不安全`,
          `unsafe file name "${file.name}": ${reason ?? 'outside its version folder'}`,
        ),
      );
      continue;
    }
    if (!body) {
      problems.push(finding('MISSING', file.key, '对象缺失', 'object is missing', { expected: file.sha256 }));
      continue;
    }
    const actual = sha256Hex(body);
    if (actual !== file.sha256 || body.byteLength !== file.size) {
      problems.push(
        finding('CHANGED', file.key, '内容与清单不符', 'its bytes differ from the manifest', {
          expected: file.sha256,
          actual,
        }),
      );
      continue;
    }
    files.push({ name: file.name, body });
  }
  const notes: string[] = [];
  const links = await deps.chain.links();
  const link = links.find((l) => l.period === m.period && l.version === m.version);
  const district = deps.district ?? DEFAULT_DISTRICT;
  let sealed: SealedLink | undefined;
  if (links.length === 0) {
    notes.push(
      'note: the archive predates the hash chain (run `duban archive chain --init`): the manifest is not anchored',
    );
  } else if (!link) {
    problems.push(
      finding('BROKEN-CHAIN', stored.manifestKey, '该版本不在哈希链中', 'this version is not in the chain'),
    );
  } else if (!isSealed(link)) {
    problems.push(
      finding(
        'UNSIGNED',
        stored.manifestKey,
        `链环 #${link.seq} 未签名`,
        `chain link #${link.seq} is not signed`,
        { seq: link.seq },
      ),
    );
  } else {
    sealed = link;
    if (link.seal.manifestSha256 !== stored.manifestSha256) {
      problems.push(
        finding(
          'FORGED-MANIFEST',
          stored.manifestKey,
          `清单与链环 #${link.seq} 签名时的不同`,
          `differs from the manifest chain link #${link.seq} sealed`,
          {
            seq: link.seq,
            expected: link.seal.manifestSha256,
            actual: stored.manifestSha256,
          },
        ),
      );
    }
    const verdict = checkSignature(
      statementOf(district, link, link.seal),
      link.seal.signature,
      await deps.key.publicKey(),
    );
    if (!verdict.ok) {
      problems.push(
        finding('BAD-SIGNATURE', `chain #${link.seq}`, '链环签名无效', 'the link signature does not verify', {
          seq: link.seq,
        }),
      );
    }
  }
  if (problems.length > 0) throw new ArchiveMismatchError(`${m.period} v${m.version}`, problems);
  return {
    stored,
    manifestBytes: got.manifestBytes,
    ...(sealed ? { sealBytes: sealBytes(sealDocument(district, sealed)), link: sealed } : {}),
    files,
    notes,
  };
}
