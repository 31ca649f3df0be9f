import { DubanError } from '../../core/errors.ts';

/** The phases of a bulletin run, each with its own deadline. */
export const PHASES = ['load', 'claim', 'render', 'archive', 'notify'] as const;
export type Phase = (typeof PHASES)[number];
export type PhaseDeadlines = Readonly<Record<Phase, number>>;

/**
 * Defaults in ms, for a run with no time limit of its own (the CLI, the demo). They add up to
 * more than the function's timeout (`bulletinTimeoutSeconds`, 120 s in cdk.json), so in Lambda
 * the handler scales them down with fitDeadlines to the time the invocation has left; a stuck
 * phase then fails with its own name instead of Lambda ending the run silently. `claim`
 * includes waiting for a concurrent run of the same period to finish.
 */
export const DEFAULT_DEADLINES: PhaseDeadlines = {
  load: 30_000,
  claim: 90_000,
  render: 120_000,
  archive: 45_000,
  notify: 20_000,
};

/**
 * The deadlines scaled down, in proportion, to fit the time the invocation has left (less a
 * margin for reporting the failure), so a phase times out with its name before Lambda's own
 * timeout ends the run without a word.
 */
export function fitDeadlines(
  deadlines: PhaseDeadlines,
  remainingMs: number,
  marginMs = 5_000,
): PhaseDeadlines {
  const total = PHASES.reduce((sum, p) => sum + deadlines[p], 0);
  const budget = Math.max(remainingMs - marginMs, 0);
  if (total <= budget) return deadlines;
  const scale = budget / total;
  return Object.fromEntries(PHASES.map((p) => [p, Math.floor(deadlines[p] * scale)])) as PhaseDeadlines;
}

export class PhaseTimeoutError extends DubanError {
  override readonly name: string = 'PhaseTimeoutError';
  constructor(
    readonly phase: Phase,
    readonly ms: number,
  ) {
    super(`bulletin phase "${phase}" did not finish within ${ms} ms`);
  }
}

/**
 * Races `work` against the phase deadline; the timer never keeps the process alive. At the
 * deadline the signal handed to `work` is aborted, so a loop inside it (waiting for a
 * concurrent run) stops on its own instead of polling on after the phase has failed.
 */
export async function withDeadline<T>(
  phase: Phase,
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new PhaseTimeoutError(phase, ms));
    }, ms);
    timer.unref();
  });
  const running = work(controller.signal);
  // After a timeout nobody awaits the work any more; its own failure must not go unhandled.
  running.catch(() => {});
  try {
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Throws the phase's timeout once its deadline has passed: for loops that poll. */
export function stopAtDeadline(signal: AbortSignal, phase: Phase, ms: number): void {
  if (signal.aborted) throw new PhaseTimeoutError(phase, ms);
}
