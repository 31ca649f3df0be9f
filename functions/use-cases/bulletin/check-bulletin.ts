import { type BulletinCheck, checkRuns } from '../../core/bulletin/bulletin-run.ts';
import type { BulletinLedger } from '../ports/bulletin.ts';
import { lastBulletinDue, type ScheduleDeps } from '../schedule/scheduled-periods.ts';

/** The check looks at a month once its bulletin has had this long to finish, retries included. */
export const CHECK_GRACE_MS = 60 * 60_000;

/**
 * The daily check: is there a bulletin for the newest month whose bulletin day (per the
 * catalog's rule on the official calendar) has passed? It reads the same ledger the bulletin
 * run writes; only an archived version counts, so a run that claimed a version and died leaves
 * the month missing. Run daily, a missing bulletin keeps the alarm up until one is issued.
 */
export async function checkBulletin(
  deps: ScheduleDeps & { readonly ledger: Pick<BulletinLedger, 'runs'> },
  scheduledTime: Date,
): Promise<BulletinCheck | undefined> {
  const period = await lastBulletinDue(deps, scheduledTime, CHECK_GRACE_MS);
  if (period === undefined) return undefined;
  return checkRuns(period, await deps.ledger.runs(period));
}
