/**
 * A drafted catalog marks each target the report does not give with `targetBasis: to-fill` (and
 * `target: null`), and a stock drafted from the report's text has no baseline yet (last year's
 * level, from which its planned increment is measured). `catalog check` names every one of them
 * by code and name instead of reporting schema errors for each, so the office sees a to-do list.
 */

export const TO_FILL_BASIS = 'to-fill';

/** Kinds measured from a baseline (`level` is the older spelling of `stock`). */
const STOCK_KINDS: ReadonlySet<string> = new Set(['stock', 'level']);

export interface TargetsToFill {
  /** One line per indicator still to fill. */
  readonly problems: readonly string[];
  /** Whether a schema issue at this path is explained by a to-fill target. */
  covers(path: readonly PropertyKey[]): boolean;
}

export function targetsToFill(data: unknown): TargetsToFill {
  const indicators =
    data !== null && typeof data === 'object' ? (data as Record<string, unknown>).indicators : undefined;
  const pending = new Set<number>();
  const noBaseline = new Set<number>();
  const problems: string[] = [];
  if (Array.isArray(indicators)) {
    indicators.forEach((raw: unknown, index) => {
      if (raw === null || typeof raw !== 'object') return;
      const item = raw as Record<string, unknown>;
      const target = item.targetBasis === TO_FILL_BASIS;
      const baseline = STOCK_KINDS.has(String(item.kind)) && typeof item.baseline !== 'number';
      if (!target && !baseline) return;
      if (target) pending.add(index);
      if (baseline) noBaseline.add(index);
      const label = [item.code, item.name].filter((v) => typeof v === 'string' && v !== '').join(' ');
      const what = target
        ? baseline
          ? "annual target and baseline (last year's level) still to fill / 年度目标、上年基数待填"
          : 'annual target still to fill (targetBasis: to-fill) / 年度目标待填'
        : "baseline (last year's level) still to fill / 上年基数待填";
      problems.push(`indicators[${index}] (${label}): ${what}`);
    });
  }
  return {
    problems,
    covers: (path) =>
      path[0] === 'indicators' &&
      typeof path[1] === 'number' &&
      ((pending.has(path[1]) &&
        (path[2] === 'target' || path[2] === 'targetBasis' || path[2] === 'reportedResult')) ||
        (noBaseline.has(path[1]) && path[2] === 'baseline')),
  };
}
