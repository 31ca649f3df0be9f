import { UsageError } from '../../functions/core/errors.ts';
import { PERIOD_PATTERN } from '../../functions/core/submission.ts';

/** Command-line values several commands share, checked the same way (bad ones are usage errors, exit 2). */

export function parsePeriodOption(raw: string, what = '--period'): string {
  if (!PERIOD_PATTERN.test(raw)) throw new UsageError(`${what} must be YYYY-MM (e.g. 2023-12), got "${raw}"`);
  return raw;
}

export function parseVersionOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--version must be a positive integer, got "${raw}"`);
  return n;
}
