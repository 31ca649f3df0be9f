import { type ChainLink, isSealed, linkOfSeal, type SealedLink } from '../../core/archive/chain.ts';
import { type Finding, finding, sortFindings } from '../../core/archive/findings.ts';
import type { PublicKeyInfo } from '../../core/archive/signature.ts';
import { checkLinks } from '../../core/archive/verify-links.ts';
import type { BulletinRun } from '../../core/bulletin/bulletin-run.ts';
import type { Submission } from '../../core/submission.ts';
import { SEAL_FILE } from '../../shared/resources.ts';
import { DEFAULT_DISTRICT, keys } from '../../shared/storage-keys.ts';
import type { ArchiveKey, ChainLedger, ObjectHistory } from '../ports/archive-chain.ts';
import type { BulletinLedger } from '../ports/bulletin.ts';
import type { AuditLog, ObjectStore, SubmissionHistory } from '../ports/storage.ts';
import { ArchiveView } from './archive-view.ts';
import { checkAnchors } from './verify-anchors.ts';
import { type ArchivedObject, checkHistory } from './verify-history.ts';
import { checkRaw } from './verify-raw.ts';
import { type CheckedVersion, checkVersions, parseSeal } from './verify-versions.ts';

/**
 * The auditor's check, for the CLI (`duban archive verify`, online or `--offline` on a
 * downloaded copy) and the portal alike. It walks the hash chain from its first link and
 * proves each step: every link signed by the archive's key and naming its predecessor, every
 * manifest the one its link sealed, every file the one its manifest lists, every record of
 * the issue (audit log, bulletin ledger) in agreement, nothing in the archive unaccounted
 * for, every raw upload intact and still the one the signed manifests used; on AWS also no
 * overwritten or deleted archived key and every lock in force. One finding per broken fact.
 */

export interface VerifyRecords {
  readonly chain: ChainLedger;
  readonly ledger: Pick<BulletinLedger, 'runs'>;
  readonly audit: AuditLog;
  readonly submissions: Pick<SubmissionHistory, 'periods' | 'allForPeriod'>;
}

export interface VerifyArchiveDeps {
  readonly objects: ObjectStore;
  readonly archiveBucket: string;
  readonly uploadsBucket: string;
  readonly key: ArchiveKey;
  /** The table's records (online). Offline, on a downloaded copy, the seals are the chain. */
  readonly records?: VerifyRecords;
  /** AWS only: object versions, delete markers and Object Lock. */
  readonly history?: ObjectHistory;
  readonly retentionYears?: number;
  readonly district?: string;
  /** Objects read at once per bucket (default 16). */
  readonly concurrency?: number;
  /** Offline copy of one version only: the chain before it is not in the copy. */
  readonly partialChain?: boolean;
}

export interface ChainSummary {
  readonly links: number;
  readonly sealed: number;
  readonly head?: {
    readonly seq: number;
    readonly period: string;
    readonly version: number;
    readonly manifestSha256: string;
    readonly prevManifestSha256: string | null;
  };
  readonly key?: { readonly algorithm: string; readonly fingerprint: string; readonly keyRef?: string };
}

export interface ArchiveVerification {
  /** True when there is no finding at all. */
  readonly ok: boolean;
  readonly mode: 'online' | 'offline';
  /** One line per part checked, with its verdict. */
  readonly summary: readonly string[];
  readonly findings: readonly Finding[];
  /** What is explained rather than wrong: unfinished runs, passed-over reservations, parts not checked. */
  readonly notes: readonly string[];
  readonly chain: ChainSummary;
  readonly bulletins: { readonly versions: number; readonly objectsChecked: number };
  readonly raw: { readonly rawObjectsChecked: number; readonly submissionsChecked: number };
  readonly history: {
    readonly checked: boolean;
    readonly versionsListed: number;
    readonly locksChecked: number;
  };
}

/**
 * Objects read at once per bucket. The reads are round trips (S3, or the local stand-in), not
 * CPU: on a year's archive 8 left the pipeline half empty (bench:verify); the SDK's default
 * pool holds 50 sockets, so the two buckets' 16 each stay inside it.
 */
const DEFAULT_CONCURRENCY = 16;

/** Offline the seals are the chain: each seal.json read back into its link. */
async function linksFromSeals(view: ArchiveView, findings: Finding[]): Promise<ChainLink[]> {
  const sealKeys = view.keys().filter((k) => k.endsWith(`/${SEAL_FILE}`));
  const docs = await view.map(sealKeys, async (key) => ({ key, bytes: await view.read(key) }));
  const links: SealedLink[] = [];
  for (const { key, bytes } of docs) {
    const doc = bytes ? parseSeal(bytes, key) : 'unreadable';
    if (typeof doc === 'string') {
      findings.push(
        finding('BAD-SIGNATURE', key, `签名文件无法读取：${doc}`, `not a seal duban wrote: ${doc}`),
      );
    } else if (keys.bulletinSeal(doc.period, doc.version) !== key) {
      findings.push(
        finding(
          'BAD-SIGNATURE',
          key,
          `签名文件属于 ${doc.period} 第${doc.version}版`,
          `the seal belongs to ${doc.period} v${doc.version}`,
          { seq: doc.seq },
        ),
      );
    } else {
      links.push(linkOfSeal(doc));
    }
  }
  return links.sort((a, b) => a.seq - b.seq);
}

async function allSubmissions(records: VerifyRecords): Promise<Submission[]> {
  const periods = await records.submissions.periods();
  return (await Promise.all(periods.map((p) => records.submissions.allForPeriod(p)))).flat();
}

async function runsByPeriod(
  records: VerifyRecords,
  periods: Iterable<string>,
): Promise<Map<string, BulletinRun[]>> {
  const list = [...new Set(periods)];
  const runs = await Promise.all(list.map((p) => records.ledger.runs(p)));
  return new Map(list.map((p, i) => [p, runs[i] ?? []]));
}

/** Every object the archive vouches for, with the date its lock runs from. */
function archivedObjects(
  deps: VerifyArchiveDeps,
  versions: readonly CheckedVersion[],
  submissions: readonly Submission[],
): ArchivedObject[] {
  const out: ArchivedObject[] = [];
  for (const v of versions) {
    const issuedAt = v.manifest.generatedAt;
    const own = [
      v.manifestKey,
      keys.bulletinSeal(v.link.period, v.link.version),
      ...v.manifest.files.map((f) => f.key),
    ];
    for (const key of new Set(own)) out.push({ bucket: deps.archiveBucket, key, issuedAt });
  }
  const raw = new Map<string, string>();
  for (const s of submissions) {
    const seen = raw.get(s.rawKey);
    if (!seen || s.receivedAt < seen) raw.set(s.rawKey, s.receivedAt);
  }
  for (const [key, issuedAt] of raw) out.push({ bucket: deps.uploadsBucket, key, issuedAt });
  return out;
}

function summarise(
  r: Pick<ArchiveVerification, 'chain' | 'bulletins' | 'raw' | 'history' | 'mode'>,
  findings: readonly Finding[],
): string[] {
  const head = r.chain.head;
  const verdict = findings.length === 0 ? 'every check passed' : `${findings.length} finding(s)`;
  return [
    `chain: ${r.chain.links} link(s), ${r.chain.sealed} sealed${head ? `; head #${head.seq} ${head.period} v${head.version} manifest sha256 ${head.manifestSha256}` : ''}${r.chain.key ? `; key ${r.chain.key.algorithm} ${r.chain.key.fingerprint}` : ''}`,
    `bulletins: ${r.bulletins.versions} version(s), ${r.bulletins.objectsChecked} file(s) checked against their manifests`,
    `raw uploads: ${r.raw.rawObjectsChecked} object(s), ${r.raw.submissionsChecked} submission version(s) checked`,
    r.history.checked
      ? `object versions and locks: ${r.history.versionsListed} version(s) listed, ${r.history.locksChecked} lock(s) checked`
      : r.mode === 'offline'
        ? 'object versions and locks: not in a downloaded copy'
        : 'object versions and locks: the local store keeps neither (checked on AWS only)',
    `verdict: ${verdict}`,
  ];
}

export async function verifyArchive(
  deps: VerifyArchiveDeps,
  options: { readonly period?: string } = {},
): Promise<ArchiveVerification> {
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const district = deps.district ?? DEFAULT_DISTRICT;
  const records = deps.records;
  const findings: Finding[] = [];
  const notes: string[] = [];
  const [view, rawView] = await Promise.all([
    ArchiveView.open(deps.objects, deps.archiveBucket, keys.prefix.bulletins, concurrency),
    ArchiveView.open(deps.objects, deps.uploadsBucket, keys.prefix.raw, concurrency),
  ]);
  // Every object verify will hash starts loading now, while the chain and the table are read.
  if (options.period === undefined) {
    view.prefetch();
    rawView.prefetch();
  } else {
    view.prefetch((k) => keys.parseBulletinKey(k)?.period === options.period);
  }

  const links = records ? await records.chain.links() : await linksFromSeals(view, findings);
  const key: PublicKeyInfo | undefined = links.some(isSealed) ? await deps.key.publicKey() : undefined;
  const chainCheck = checkLinks(links, key, {
    district,
    contiguous: records !== undefined,
    partial: deps.partialChain === true,
  });
  findings.push(...chainCheck.findings);
  notes.push(...chainCheck.notes);

  const folderPeriods = view.keys().flatMap((k) => keys.parseBulletinKey(k)?.period ?? []);
  const runs = records
    ? await runsByPeriod(records, [...links.map((l) => l.period), ...folderPeriods])
    : new Map();
  const versions = await checkVersions({
    view,
    links,
    district,
    key,
    online: records !== undefined,
    period: options.period,
    unfinishedRun: records
      ? async (period, version) =>
          (runs.get(period) ?? []).some((r: BulletinRun) => r.version === version && r.state === 'claimed')
      : undefined,
  });
  findings.push(...versions.findings);
  notes.push(...versions.notes);

  const submissions = records ? await allSubmissions(records) : undefined;
  if (records) {
    const events = await records.audit.list(options.period ? { period: options.period } : {});
    findings.push(...checkAnchors({ links, events, runs, period: options.period }));
  }
  const raw = await checkRaw({
    view: rawView,
    submissions,
    versions: versions.versions,
    period: options.period,
  });
  findings.push(...raw.findings);
  notes.push(...raw.notes);

  const history = deps.history
    ? await checkHistory({
        history: deps.history,
        scopes: [
          { bucket: deps.archiveBucket, prefix: keys.prefix.bulletins },
          { bucket: deps.uploadsBucket, prefix: keys.prefix.raw },
        ],
        archived: archivedObjects(
          deps,
          versions.versions,
          (submissions ?? []).filter((s) => options.period === undefined || s.period === options.period),
        ),
        retentionYears: deps.retentionYears ?? 10,
        concurrency,
      })
    : undefined;
  if (history) findings.push(...history.findings);

  const sealed = links.filter(isSealed);
  const head = sealed.at(-1);
  const unique = new Map(findings.map((f) => [`${f.kind} ${f.key} ${f.en}`, f]));
  const all = sortFindings([...unique.values()]);
  const report = {
    mode: records ? ('online' as const) : ('offline' as const),
    chain: {
      links: links.length,
      sealed: sealed.length,
      ...(head
        ? {
            head: {
              seq: head.seq,
              period: head.period,
              version: head.version,
              manifestSha256: head.seal.manifestSha256,
              prevManifestSha256: head.prevManifestSha256,
            },
          }
        : {}),
      ...(key
        ? {
            key: {
              algorithm: key.algorithm,
              fingerprint: key.fingerprint,
              ...(key.keyRef ? { keyRef: key.keyRef } : {}),
            },
          }
        : {}),
    },
    bulletins: { versions: versions.versions.length, objectsChecked: versions.objectsChecked },
    raw: { rawObjectsChecked: raw.rawObjectsChecked, submissionsChecked: raw.submissionsChecked },
    history: {
      checked: history !== undefined,
      versionsListed: history?.versionsListed ?? 0,
      locksChecked: history?.locksChecked ?? 0,
    },
  };
  return { ok: all.length === 0, ...report, summary: summarise(report, all), findings: all, notes };
}
