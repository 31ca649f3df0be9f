import * as z from 'zod/mini';
import { positiveInt } from '../stored-record.ts';

/**
 * The life of one bulletin version, as the ledger records it: a run claims the version
 * (fencing: exactly one run builds it), archives it (its manifest is in the archive, with
 * that manifest's sha256), and delivers it (the leaders' mail went out). Each step is its own
 * immutable entry; the state of a version is what its entries add up to. The bulletin run and
 * the monthly check read this one record, nothing else.
 */

export interface BulletinClaim {
  readonly period: string;
  readonly version: number;
  /** sha256 over the canonical inputs (inputs-hash.ts); equal → unchanged. */
  readonly inputsHash: string;
  readonly catalogYear: number;
  readonly catalogVersion: number;
  /** dept → submission version of the period, as claimed. */
  readonly submissionVersions: Readonly<Record<string, number>>;
  /** ISO time of the claim: a claim older than the lease without a manifest belongs to a dead run. */
  readonly claimedAt: string;
  /** Archive folder of this version. */
  readonly folder: string;
  /**
   * The invocation that claimed this version (Lambda's request id, which its own retries
   * share): a retry finding its own unfinished claim knows that run died.
   */
  readonly runId?: string;
}

export interface ArchivedEntry {
  readonly at: string;
  readonly manifestSha256: string;
}

export interface DeliveredEntry {
  readonly at: string;
  /** Message-IDs of the mails sent (none when there were no recipients). */
  readonly messages: readonly string[];
}

export type BulletinRunState = 'claimed' | 'archived' | 'delivered';

export interface BulletinRun extends BulletinClaim {
  readonly state: BulletinRunState;
  readonly archived?: ArchivedEntry;
  readonly delivered?: DeliveredEntry;
}

/** One stored ledger entry. */
export type LedgerEntry =
  | ({ readonly entry: 'claim' } & BulletinClaim)
  | ({ readonly entry: 'archived'; readonly period: string; readonly version: number } & ArchivedEntry)
  | ({ readonly entry: 'delivered'; readonly period: string; readonly version: number } & DeliveredEntry);

export const ledgerEntrySchema = z.discriminatedUnion('entry', [
  z.object({
    entry: z.literal('claim'),
    period: z.string(),
    version: positiveInt(),
    inputsHash: z.string(),
    catalogYear: z.number(),
    catalogVersion: positiveInt(),
    submissionVersions: z.record(z.string(), positiveInt()),
    claimedAt: z.string(),
    folder: z.string(),
    runId: z.optional(z.string()),
  }),
  z.object({
    entry: z.literal('archived'),
    period: z.string(),
    version: positiveInt(),
    at: z.string(),
    manifestSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  }),
  z.object({
    entry: z.literal('delivered'),
    period: z.string(),
    version: positiveInt(),
    at: z.string(),
    messages: z.array(z.string()),
  }),
]);

/** The runs of one period, oldest version first, from its ledger entries in any order. */
export function foldLedger(entries: readonly LedgerEntry[]): BulletinRun[] {
  const claims = entries.filter((e) => e.entry === 'claim').sort((a, b) => a.version - b.version);
  return claims.map(({ entry: _entry, ...claim }) => {
    const of = <K extends LedgerEntry['entry']>(kind: K) =>
      entries.find(
        (e): e is Extract<LedgerEntry, { entry: K }> => e.entry === kind && e.version === claim.version,
      );
    const archived = of('archived');
    const delivered = of('delivered');
    return {
      ...claim,
      state: delivered ? 'delivered' : archived ? 'archived' : 'claimed',
      ...(archived ? { archived: { at: archived.at, manifestSha256: archived.manifestSha256 } } : {}),
      ...(delivered ? { delivered: { at: delivered.at, messages: delivered.messages } } : {}),
    };
  });
}

/** What the monthly check reports about a period. */
export interface BulletinCheck {
  readonly period: string;
  /** True when no version of the period has been archived: the alarm fires. */
  readonly missing: boolean;
  /** The latest archived version, when there is one. */
  readonly latestVersion?: number;
  /** Whether that version's mail went out. */
  readonly delivered?: boolean;
  /** A version claimed after it (or alone) whose run never archived it. */
  readonly unfinishedVersion?: number;
}

/** Only an archived version counts: a run that claimed a version and died leaves a claim, not a bulletin. */
export function checkRuns(period: string, runs: readonly BulletinRun[]): BulletinCheck {
  const issued = runs.filter((r) => r.state !== 'claimed');
  const latest = issued.at(-1);
  const unfinished = runs.filter((r) => r.state === 'claimed' && r.version > (latest?.version ?? 0)).at(-1);
  return {
    period,
    missing: latest === undefined,
    ...(latest ? { latestVersion: latest.version, delivered: latest.state === 'delivered' } : {}),
    ...(unfinished ? { unfinishedVersion: unfinished.version } : {}),
  };
}
