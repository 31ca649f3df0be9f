import { bulletinPeriodFor } from '../../core/bulletin/bulletin-period.ts';
import { type BulletinCheck, checkRuns } from '../../core/bulletin/bulletin-run.ts';
import type { BulletinLedger } from '../ports/bulletin.ts';

/**
 * The monthly check (the 6th): is there a bulletin for the month before `scheduledTime`
 * (Beijing time)? It reads the same ledger the bulletin run writes; only an archived version
 * counts, so a run that claimed a version and died leaves the month missing.
 */
export async function checkBulletin(
  ledger: Pick<BulletinLedger, 'runs'>,
  scheduledTime: Date,
): Promise<BulletinCheck> {
  const period = bulletinPeriodFor(scheduledTime);
  return checkRuns(period, await ledger.runs(period));
}
