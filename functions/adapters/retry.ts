import { RetriesExhaustedError } from '../core/errors.ts';

/**
 * Exponential backoff with full jitter (delay drawn uniformly from 0..min(cap, base·2^n)),
 * bounded in attempts; the random source and sleep are injectable for tests.
 */
export interface BackoffOptions {
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseDelayMs ?? 50;
  const cap = options.maxDelayMs ?? 2_000;
  const random = options.random ?? Math.random;
  return Math.floor(random() * Math.min(cap, base * 2 ** attempt));
}

const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
]);

export function isThrottling(error: unknown): boolean {
  return error instanceof Error && THROTTLING_ERRORS.has(error.name);
}

/**
 * Runs `attempt` until it reports done, retrying on throttling errors and on
 * `{ done: false }` (e.g. UnprocessedItems left); fails loudly when attempts run out.
 */
export async function retryWithBackoff<T>(
  what: string,
  attempt: (n: number) => Promise<{ done: true; value: T } | { done: false }>,
  options: BackoffOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? defaultSleep;
  let lastError: unknown;
  for (let n = 0; n < maxAttempts; n++) {
    try {
      const result = await attempt(n);
      if (result.done) return result.value;
      lastError = undefined;
    } catch (error) {
      if (!isThrottling(error)) throw error;
      lastError = error;
    }
    if (n < maxAttempts - 1) await sleep(backoffDelay(n, options));
  }
  const reason =
    lastError instanceof Error ? `${lastError.name}: ${lastError.message}` : 'work left unprocessed';
  throw new RetriesExhaustedError(`${what}: gave up after ${maxAttempts} attempts (${reason})`);
}
