/**
 * Property and fuzz tests run a fixed amount of work from a fixed seed, so a green run on
 * an idle machine is the same run as on a loaded one, only slower. The seed is printed; set
 * DUBAN_PROPERTY_SEED to replay a failure (fast-check also prints the seed and path of the
 * counterexample), or to explore beyond the committed seed.
 */

/**
 * Per-test timeout for property tests: sized for a 2-core machine that runs other test
 * suites at the same time (the runs themselves take a few seconds when it is idle).
 */
export const PROPERTY_TIMEOUT_MS = 120_000;

export interface PropertyParameters {
  readonly seed: number;
  readonly numRuns: number;
}

/** fast-check parameters for one property: its own bounded run count and its seed, printed. */
export function propertyRuns(name: string, numRuns: number, seed: number): PropertyParameters {
  const override = process.env.DUBAN_PROPERTY_SEED;
  const chosen = override !== undefined && override.trim() !== '' ? Number(override) : seed;
  if (!Number.isInteger(chosen)) throw new Error(`DUBAN_PROPERTY_SEED must be an integer, got "${override}"`);
  process.stderr.write(`[property] ${name}: ${numRuns} runs, seed ${chosen}\n`);
  return { seed: chosen, numRuns };
}
