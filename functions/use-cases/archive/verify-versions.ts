import {
  type ChainLink,
  isSealed,
  type SealDocument,
  type SealedLink,
  sealDocumentSchema,
  statementOf,
} from '../../core/archive/chain.ts';
import { sha256Hex } from '../../core/archive/digest.ts';
import { type Finding, finding } from '../../core/archive/findings.ts';
import { unsafeNameReason } from '../../core/archive/safe-name.ts';
import { checkSignature, type PublicKeyInfo } from '../../core/archive/signature.ts';
import { type BulletinManifest, manifestSchema } from '../../core/bulletin/manifest.ts';
import { CorruptRecordError } from '../../core/errors.ts';
import { parseStoredJson } from '../../core/stored-record.ts';
import { MANIFEST_FILE, SEAL_FILE } from '../../shared/resources.ts';
import { keys } from '../../shared/storage-keys.ts';
import type { ArchiveView } from './archive-view.ts';

/**
 * Each link's version folder against the link: the manifest is the one the chain sealed,
 * places itself where the chain has it, lists only plain names inside its own folder, and
 * every file it lists is there with its recorded sha256 and size; seal.json beside it agrees
 * with the ledger and verifies. Folders no link accounts for are reported too.
 */

export interface VersionContext {
  readonly view: ArchiveView;
  readonly links: readonly ChainLink[];
  readonly district: string;
  readonly key: PublicKeyInfo | undefined;
  /** Online the ledger holds the links and seal.json is a second copy to compare; offline the seals are the links. */
  readonly online: boolean;
  readonly period?: string;
  /** Online: whether a run claimed this version and never archived it (an unfinished run, not a forgery). */
  readonly unfinishedRun?: (period: string, version: number) => Promise<boolean>;
}

/** A link whose manifest was read and parsed: what the later checks (anchors, AWS locks) build on. */
export interface CheckedVersion {
  readonly link: SealedLink;
  readonly manifestKey: string;
  readonly manifest: BulletinManifest;
}

export interface VersionsResult {
  readonly findings: Finding[];
  readonly notes: string[];
  readonly versions: CheckedVersion[];
  readonly objectsChecked: number;
}

const inPeriod = (ctx: VersionContext, period: string) => ctx.period === undefined || ctx.period === period;

function parseManifestBytes(bytes: Uint8Array, key: string): BulletinManifest | string {
  try {
    return parseStoredJson(manifestSchema, new TextDecoder().decode(bytes), key);
  } catch (error) {
    if (error instanceof CorruptRecordError) return error.reason;
    throw error;
  }
}

export function parseSeal(bytes: Uint8Array, key: string): SealDocument | string {
  try {
    return parseStoredJson(sealDocumentSchema, new TextDecoder().decode(bytes), key);
  } catch (error) {
    if (error instanceof CorruptRecordError) return error.reason;
    throw error;
  }
}

/** The manifest against its sealed link: same bytes, same version, same place, same inputs. */
function checkManifest(
  link: SealedLink,
  key: string,
  bytes: Uint8Array,
  findings: Finding[],
): BulletinManifest | undefined {
  const seq = link.seq;
  const actual = sha256Hex(bytes);
  if (actual !== link.seal.manifestSha256) {
    findings.push(
      finding(
        'FORGED-MANIFEST',
        key,
        `清单与链环 #${seq} 签名时的 sha256 不同`,
        `differs from the manifest chain link #${seq} sealed`,
        {
          seq,
          expected: link.seal.manifestSha256,
          actual,
        },
      ),
    );
  }
  const manifest = parseManifestBytes(bytes, key);
  if (typeof manifest === 'string') {
    findings.push(
      finding(
        'FORGED-MANIFEST',
        key,
        `不是 duban 写出的清单：${manifest}`,
        `not a manifest duban wrote: ${manifest}`,
        { seq },
      ),
    );
    return undefined;
  }
  if (manifest.period !== link.period || manifest.version !== link.version) {
    findings.push(
      finding(
        'FORGED-MANIFEST',
        key,
        `清单自称 ${manifest.period} 第${manifest.version}版`,
        `claims to be ${manifest.period} v${manifest.version}`,
        {
          seq,
        },
      ),
    );
  }
  if (manifest.inputsHash !== link.seal.inputsHash) {
    findings.push(
      finding(
        'FORGED-MANIFEST',
        key,
        '输入指纹与链环不符',
        'its inputs fingerprint differs from the sealed link',
        {
          seq,
          expected: link.seal.inputsHash,
          actual: manifest.inputsHash,
        },
      ),
    );
  }
  if (link.legacy) return manifest;
  const c = manifest.chain;
  if (!c) {
    findings.push(finding('FORGED-MANIFEST', key, '清单没有链位置', 'carries no chain position', { seq }));
  } else if (
    c.seq !== seq ||
    c.prevSeq !== link.prevSeq ||
    c.prevManifestSha256 !== link.prevManifestSha256
  ) {
    findings.push(
      finding(
        'BROKEN-CHAIN',
        key,
        `清单自称第 ${c.seq} 环（前一环 ${c.prevSeq ?? '无'}），链中为第 ${seq} 环（前一环 ${link.prevSeq ?? '无'}）`,
        `places itself at #${c.seq} after ${c.prevSeq === null ? 'nothing' : `#${c.prevSeq}`}; the chain has it at #${seq} after ${link.prevSeq === null ? 'nothing' : `#${link.prevSeq}`}`,
        { seq, expected: link.prevManifestSha256 ?? 'none', actual: c.prevManifestSha256 ?? 'none' },
      ),
    );
  }
  return manifest;
}

/** seal.json beside the manifest: present, the same link the ledger holds, and a valid signature. */
function checkSealFile(
  ctx: VersionContext,
  link: SealedLink,
  key: string,
  bytes: Uint8Array | undefined,
  findings: Finding[],
): void {
  const seq = link.seq;
  if (!bytes) {
    findings.push(
      finding(
        'UNSIGNED',
        key,
        `清单旁缺少链环 #${seq} 的签名文件`,
        `the seal of chain link #${seq} is not beside the manifest`,
        { seq },
      ),
    );
    return;
  }
  const doc = parseSeal(bytes, key);
  if (typeof doc === 'string') {
    findings.push(
      finding('BAD-SIGNATURE', key, `签名文件无法读取：${doc}`, `not a seal duban wrote: ${doc}`, { seq }),
    );
    return;
  }
  const statement = statementOf(ctx.district, link, link.seal);
  const same =
    doc.seq === seq &&
    doc.period === link.period &&
    doc.version === link.version &&
    doc.prevSeq === link.prevSeq &&
    doc.prevManifestSha256 === link.prevManifestSha256 &&
    doc.manifestSha256 === link.seal.manifestSha256 &&
    doc.inputsHash === link.seal.inputsHash &&
    doc.legacy === (link.legacy === true) &&
    doc.statement === statement;
  if (!same) {
    findings.push(
      finding(
        'BAD-SIGNATURE',
        key,
        '签名文件与账本中的链环不一致',
        'the seal differs from the link the ledger holds',
        { seq },
      ),
    );
    return;
  }
  if (ctx.key && !checkSignature(statement, doc.signature, ctx.key).ok) {
    findings.push(
      finding('BAD-SIGNATURE', key, '签名文件中的签名无效', 'the signature in the seal does not verify', {
        seq,
      }),
    );
  }
}

/** Every file the manifest lists: a plain name in its own folder, present, with its sha256 and size. */
async function checkFiles(
  ctx: VersionContext,
  link: ChainLink,
  manifest: BulletinManifest,
  findings: Finding[],
): Promise<{ named: Set<string>; checked: number }> {
  const folder = keys.bulletinFolder(link.period, link.version);
  const named = new Set<string>();
  const toHash = [];
  for (const file of manifest.files) {
    const reason = unsafeNameReason(file.name);
    if (reason) {
      findings.push(
        finding(
          'UNSAFE-NAME',
          file.key,
          `文件名“${file.name}”不安全：${reason}`,
          `the file name "${file.name}" is unsafe: ${reason}`,
          { seq: link.seq },
        ),
      );
      continue;
    }
    if (file.key !== `${folder}${file.name}`) {
      findings.push(
        finding(
          'UNSAFE-NAME',
          file.key,
          `清单条目“${file.name}”指向本版本目录之外`,
          `the entry "${file.name}" points outside its version folder ${folder}`,
          {
            seq: link.seq,
            expected: `${folder}${file.name}`,
            actual: file.key,
          },
        ),
      );
      continue;
    }
    named.add(file.key);
    if (!ctx.view.has(file.key)) {
      findings.push(
        finding('MISSING', file.key, '对象缺失', 'object is missing', {
          seq: link.seq,
          expected: file.sha256,
        }),
      );
      continue;
    }
    toHash.push(file);
  }
  const digests = await ctx.view.digestAll(toHash.map((f) => f.key));
  for (const file of toHash) {
    const d = digests.get(file.key);
    if (!d) continue;
    if (d.sha256 !== file.sha256) {
      findings.push(
        finding('CHANGED', file.key, '内容与清单记录的 sha256 不同', 'its sha256 differs from the manifest', {
          seq: link.seq,
          expected: file.sha256,
          actual: d.sha256,
        }),
      );
    } else if (d.size !== file.size) {
      findings.push(
        finding('CHANGED', file.key, '大小与清单不同', 'its size differs from the manifest', {
          seq: link.seq,
          expected: String(file.size),
          actual: String(d.size),
        }),
      );
    }
  }
  return { named, checked: toHash.length };
}

/** One version of the chain: its manifest, seal and files. */
async function checkVersion(
  ctx: VersionContext,
  link: ChainLink,
  findings: Finding[],
): Promise<{ version?: CheckedVersion; named: Set<string>; checked: number; folder?: string }> {
  const manifestKey = keys.bulletinManifest(link.period, link.version);
  const sealKey = keys.bulletinSeal(link.period, link.version);
  const named = new Set([manifestKey, sealKey]);
  const bytes = await ctx.view.read(manifestKey);
  if (!isSealed(link)) {
    if (!bytes) return { named: new Set(), checked: 0 };
    findings.push(
      finding(
        'UNSIGNED',
        manifestKey,
        `已归档，但链环 #${link.seq} 从未签名`,
        `archived, but chain link #${link.seq} was never signed`,
        { seq: link.seq },
      ),
    );
    // Its files are still checked against the manifest, though nothing vouches for the manifest.
    const manifest = parseManifestBytes(bytes, manifestKey);
    if (typeof manifest === 'string') return { named, checked: 0 };
    const files = await checkFiles(ctx, link, manifest, findings);
    for (const k of files.named) named.add(k);
    return { named, checked: files.checked };
  }
  if (!bytes) {
    findings.push(
      finding(
        'MISSING',
        manifestKey,
        `链环 #${link.seq} 的清单缺失`,
        `the manifest of chain link #${link.seq} is missing`,
        {
          seq: link.seq,
          expected: link.seal.manifestSha256,
        },
      ),
    );
    return { named, checked: 0 };
  }
  if (ctx.online) checkSealFile(ctx, link, sealKey, await ctx.view.read(sealKey), findings);
  const manifest = checkManifest(link, manifestKey, bytes, findings);
  if (!manifest) return { named, checked: 0 };
  const files = await checkFiles(ctx, link, manifest, findings);
  for (const k of files.named) named.add(k);
  return { version: { link, manifestKey, manifest }, named, checked: files.checked };
}

/** A corrected version must be one the chain sealed, with the manifest it had then. */
function checkCorrections(
  versions: readonly CheckedVersion[],
  links: readonly ChainLink[],
  findings: Finding[],
): void {
  for (const v of versions) {
    const corrects = v.manifest.chain?.corrects;
    if (!corrects) continue;
    const target = links.find((l) => l.period === v.link.period && l.version === corrects.version);
    if (target && isSealed(target) && target.seal.manifestSha256 === corrects.manifestSha256) continue;
    findings.push(
      finding(
        'BROKEN-CHAIN',
        v.manifestKey,
        `所更正的第${corrects.version}版与链中记录不符`,
        `the version it corrects (v${corrects.version}) is not the one the chain sealed`,
        {
          seq: v.link.seq,
          expected: corrects.manifestSha256,
          actual: target?.seal?.manifestSha256 ?? 'none',
        },
      ),
    );
  }
}

/**
 * Objects under bulletins/ that no link accounts for: a version folder with a manifest no
 * link names (or any object outside a version folder) is an orphan; a folder without one is
 * an unfinished run when its run claimed it, an orphan otherwise.
 */
async function checkUnlinked(
  ctx: VersionContext,
  named: ReadonlySet<string>,
  linked: ReadonlySet<string>,
  findings: Finding[],
  notes: string[],
): Promise<void> {
  const folders = new Map<string, { period: string; version: number; hasManifest: boolean }>();
  for (const key of ctx.view.keys()) {
    if (named.has(key)) continue;
    const place = keys.parseBulletinKey(key);
    if (!place) {
      findings.push(finding('ORPHAN', key, '不在任何版本目录中', 'lies outside every version folder'));
      continue;
    }
    if (!inPeriod(ctx, place.period)) continue;
    if (linked.has(place.folder)) {
      findings.push(
        finding('ORPHAN', key, '版本目录中未列入清单的对象', "not named by its version's manifest"),
      );
      continue;
    }
    const f = folders.get(place.folder) ?? {
      period: place.period,
      version: place.version,
      hasManifest: false,
    };
    if (place.name === MANIFEST_FILE) f.hasManifest = true;
    folders.set(place.folder, f);
  }
  const pre = ctx.links.length === 0;
  for (const [folder, f] of folders) {
    if (f.hasManifest) {
      findings.push(
        finding(
          'ORPHAN',
          folder,
          pre ? '哈希链建立前的版本，尚未入链（运行 duban archive chain --init）' : '有清单但不在哈希链中',
          pre
            ? 'issued before the hash chain and not linked yet (run `duban archive chain --init`)'
            : 'a version folder with a manifest that no chain link names',
        ),
      );
    } else if (ctx.unfinishedRun && (await ctx.unfinishedRun(f.period, f.version))) {
      notes.push(`note: ${folder} has no manifest (an unfinished run; not a version)`);
    } else if (ctx.online) {
      findings.push(
        finding(
          'ORPHAN',
          folder,
          '没有清单，也没有生成任务认领',
          'no manifest and no bulletin run claimed it',
        ),
      );
    } else {
      notes.push(`note: ${folder} has no manifest (an unfinished run or added by hand; not a version)`);
    }
  }
}

export async function checkVersions(ctx: VersionContext): Promise<VersionsResult> {
  const findings: Finding[] = [];
  const notes: string[] = [];
  const named = new Set<string>([]);
  const relevant = ctx.links.filter((l) => inPeriod(ctx, l.period));
  // A folder belongs to its link once the link's manifest is there; a reservation a run gave
  // up before archiving leaves a folder that is judged like any unfinished run's.
  const linked = new Set(
    ctx.links
      .filter((l) => isSealed(l) || ctx.view.has(keys.bulletinManifest(l.period, l.version)))
      .map((l) => keys.bulletinFolder(l.period, l.version)),
  );
  const results = await ctx.view.map(relevant, (link) => checkVersion(ctx, link, findings));
  const versions: CheckedVersion[] = [];
  let objectsChecked = 0;
  for (const r of results) {
    for (const k of r.named) named.add(k);
    objectsChecked += r.checked;
    if (r.version) versions.push(r.version);
  }
  // Offline every seal.json was read as a link already (or reported as unreadable).
  if (!ctx.online) for (const k of ctx.view.keys()) if (k.endsWith(`/${SEAL_FILE}`)) named.add(k);
  checkCorrections(versions, ctx.links, findings);
  await checkUnlinked(ctx, named, linked, findings, notes);
  return { findings, notes, versions: versions.sort((a, b) => a.link.seq - b.link.seq), objectsChecked };
}
