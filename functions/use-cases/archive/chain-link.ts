import {
  type ChainLink,
  isSealed,
  type LinkReservation,
  lastSealed,
  type SealedLink,
  sealDocument,
  statementOf,
} from '../../core/archive/chain.ts';
import { CorruptRecordError, DubanError, VersionConflictError } from '../../core/errors.ts';
import { DEFAULT_DISTRICT } from '../../shared/storage-keys.ts';
import { stopAtDeadline } from '../bulletin/phase-deadline.ts';
import type { ArchiveSigner, ChainLedger } from '../ports/archive-chain.ts';
import type { BulletinArchive, StoredVersion } from '../ports/bulletin.ts';
import type { Clock } from '../ports/storage.ts';

/**
 * Making a link of the archive's chain (core/archive/chain.ts): reserve the next number
 * before the bulletin is rendered (its last page prints the position), then seal it once the
 * manifest is archived. Links are made one at a time across all periods, because a manifest
 * must name its predecessor's sha256; a run that finds the head reserved by a live run waits
 * for it, and one that finds a dead run's reservation finishes it (manifest archived: seal
 * it) or passes over it (no manifest: the new link names the last sealed one).
 */

export interface ChainDeps {
  readonly chain: ChainLedger;
  readonly archive: BulletinArchive;
  readonly signer: ArchiveSigner;
  readonly clock: Clock;
  readonly runId?: string;
  readonly district?: string;
}

export interface ReserveTiming {
  /** A reservation without a manifest after this long belongs to a run that died. */
  readonly leaseMs: number;
  readonly pollMs: number;
  readonly signal: AbortSignal;
  readonly deadlineMs: number;
}

/** The archive predates the chain: its versions must be linked before a new one is. */
export class ChainNotInitialisedError extends DubanError {
  override readonly name: string = 'ChainNotInitialisedError';
  constructor(versions: number) {
    super(
      `档案早于哈希链，请先运行 duban archive chain --init / the archive holds ${versions} bulletin version(s) issued before the hash chain: link them once with \`duban archive chain --init\` before issuing another`,
    );
  }
}

const districtOf = (deps: Pick<ChainDeps, 'district'>) => deps.district ?? DEFAULT_DISTRICT;

/** Takes the next link for a version; waits while a live run holds the head. */
export async function reserveLink(
  deps: ChainDeps,
  target: { readonly period: string; readonly version: number },
  timing: ReserveTiming,
): Promise<LinkReservation> {
  for (;;) {
    stopAtDeadline(timing.signal, 'claim', timing.deadlineMs);
    const links = await deps.chain.links();
    const head = links.at(-1);
    if (!head) {
      const versions = (await deps.archive.list()).length;
      if (versions > 0) throw new ChainNotInitialisedError(versions);
    } else if (!isSealed(head)) {
      if (head.period === target.period && head.version === target.version) return head;
      const stored = await deps.archive.readManifest(head.period, head.version);
      if (stored) {
        // Its run archived the manifest and died before sealing: finish that link first.
        await sealLink(deps, head, stored);
        continue;
      }
      const age = deps.clock().getTime() - Date.parse(head.reservedAt);
      const ownDeadRun = deps.runId !== undefined && head.runId === deps.runId;
      if (age < timing.leaseMs && !ownDeadRun) {
        await new Promise((resolve) => setTimeout(resolve, timing.pollMs));
        continue;
      }
      // Abandoned: the new link passes over it and names the last sealed link.
    }
    const prev = lastSealed(links);
    const reservation: LinkReservation = {
      seq: (head?.seq ?? 0) + 1,
      prevSeq: prev?.seq ?? null,
      prevManifestSha256: prev?.seal.manifestSha256 ?? null,
      period: target.period,
      version: target.version,
      reservedAt: deps.clock().toISOString(),
      ...(deps.runId ? { runId: deps.runId } : {}),
    };
    try {
      await deps.chain.reserve(reservation);
      return reservation;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // Another run took the number first: look at the head again.
    }
  }
}

/**
 * Signs the link of an archived manifest and records the seal in the ledger, then beside the
 * manifest. Repeating it changes nothing: the ledger keeps the first seal, and seal.json is
 * written from that one.
 */
export async function sealLink(
  deps: Omit<ChainDeps, 'runId'>,
  link: ChainLink,
  stored: StoredVersion,
): Promise<SealedLink> {
  const m = stored.manifest;
  if (m.period !== link.period || m.version !== link.version) {
    throw new CorruptRecordError(
      stored.manifestKey,
      `chain link ${link.seq} is reserved for ${link.period} v${link.version}`,
    );
  }
  if (!link.legacy && (m.chain?.seq !== link.seq || m.chain.prevManifestSha256 !== link.prevManifestSha256)) {
    throw new CorruptRecordError(
      stored.manifestKey,
      `the manifest does not carry the position of chain link ${link.seq}`,
    );
  }
  let sealed: SealedLink;
  if (isSealed(link)) {
    sealed = link;
  } else {
    const fields = { manifestSha256: stored.manifestSha256, inputsHash: m.inputsHash };
    const signature = await deps.signer.sign(statementOf(districtOf(deps), link, fields));
    const seal = await deps.chain.seal({
      seq: link.seq,
      ...fields,
      sealedAt: deps.clock().toISOString(),
      signature,
    });
    sealed = { ...link, seal };
  }
  await deps.archive.writeSeal(sealDocument(districtOf(deps), sealed));
  return sealed;
}

/**
 * For a version found archived (a run that died after its manifest): seals its link if the
 * chain has one for it. A version issued before the chain has none and stays as it is.
 */
export async function sealArchived(
  deps: Omit<ChainDeps, 'runId'>,
  stored: StoredVersion,
): Promise<SealedLink | undefined> {
  const m = stored.manifest;
  const link = (await deps.chain.links()).find((l) => l.period === m.period && l.version === m.version);
  return link ? sealLink(deps, link, stored) : undefined;
}
