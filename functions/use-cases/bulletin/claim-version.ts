import type { BulletinRun } from '../../core/bulletin/bulletin-run.ts';
import { submissionVersionsByPeriod } from '../../core/bulletin/inputs-hash.ts';
import type { CatalogVersion } from '../../core/catalog/catalog-schema.ts';
import { CorruptRecordError, VersionConflictError } from '../../core/errors.ts';
import type { Submission } from '../../core/submission.ts';
import type { BulletinArchive, BulletinLedger, StoredVersion } from '../ports/bulletin.ts';
import type { Clock } from '../ports/storage.ts';
import { stopAtDeadline } from './phase-deadline.ts';

/** What a bulletin is built from, loaded once per run; the inputs hash is computed here only. */
export interface BulletinInputs {
  readonly period: string;
  readonly catalog: CatalogVersion;
  readonly submissions: readonly Submission[];
  readonly inputsHash: string;
}

export type Claim =
  /** This run builds the version. */
  | { readonly kind: 'claimed'; readonly version: number }
  /**
   * The inputs are those of a version already archived. `waited` when this run waited for a
   * live run to finish it: that run delivers it, not this one.
   */
  | {
      readonly kind: 'done';
      readonly stored: StoredVersion;
      readonly run: BulletinRun;
      readonly waited: boolean;
    };

export interface ClaimDeps {
  readonly ledger: BulletinLedger;
  readonly archive: BulletinArchive;
  readonly clock: Clock;
  /** Identity of this invocation; Lambda keeps the request id across its retries. */
  readonly runId?: string;
  readonly pollMs: number;
}

export interface ClaimTiming {
  /** A claim without a manifest after this long belongs to a run that died. */
  readonly leaseMs: number;
  /** Aborted at the claim phase's deadline. */
  readonly signal: AbortSignal;
  readonly deadlineMs: number;
}

/**
 * Fencing: the version number is taken by a conditional claim in the ledger, so of two runs
 * for one period exactly one builds a version; the other sees equal inputs and waits for that
 * version's manifest, then reports it as unchanged. A claim whose run died (past its lease,
 * or our own earlier attempt) is superseded by the next version.
 */
export async function claimVersion(
  deps: ClaimDeps,
  inputs: BulletinInputs,
  timing: ClaimTiming,
): Promise<Claim> {
  const { period } = inputs;
  for (;;) {
    stopAtDeadline(timing.signal, 'claim', timing.deadlineMs);
    const latest = (await deps.ledger.runs(period)).at(-1);
    if (latest && latest.inputsHash === inputs.inputsHash) {
      const stored = await deps.archive.readManifest(period, latest.version);
      if (stored) return { kind: 'done', stored, run: latest, waited: false };
      if (latest.state !== 'claimed') {
        throw new CorruptRecordError(
          deps.archive.folder(period, latest.version),
          'the ledger says archived, the manifest is missing',
        );
      }
      const age = deps.clock().getTime() - Date.parse(latest.claimedAt);
      // Our own earlier attempt (a retry of this invocation) claimed it and died: no one to wait for.
      const ownDeadClaim = deps.runId !== undefined && latest.runId === deps.runId;
      if (age < timing.leaseMs && !ownDeadClaim) {
        return {
          kind: 'done',
          stored: await waitForManifest(deps, latest, timing),
          run: latest,
          waited: true,
        };
      }
      // The run that claimed it died before writing its manifest: its folder stays invisible.
    }
    const version = (latest?.version ?? 0) + 1;
    try {
      await deps.ledger.claim({
        period,
        version,
        inputsHash: inputs.inputsHash,
        catalogYear: inputs.catalog.year,
        catalogVersion: inputs.catalog.version,
        submissionVersions: submissionVersionsByPeriod(inputs.submissions)[period] ?? {},
        claimedAt: deps.clock().toISOString(),
        folder: deps.archive.folder(period, version),
        ...(deps.runId ? { runId: deps.runId } : {}),
      });
      return { kind: 'claimed', version };
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // Another run took this version first: look again at what it is building.
    }
  }
}

async function waitForManifest(
  deps: ClaimDeps,
  run: BulletinRun,
  timing: ClaimTiming,
): Promise<StoredVersion> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, deps.pollMs));
    stopAtDeadline(timing.signal, 'claim', timing.deadlineMs);
    const stored = await deps.archive.readManifest(run.period, run.version);
    if (stored) return stored;
  }
}
