/**
 * A drafted catalog marks each target the report does not give with `targetBasis: to-fill` (and
 * `target: null`). `catalog check` names every one of them by code and name instead of reporting
 * two schema errors each, so the office sees a to-do list.
 */

export const TO_FILL_BASIS = 'to-fill';

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
  const problems: string[] = [];
  if (Array.isArray(indicators)) {
    indicators.forEach((raw: unknown, index) => {
      if (raw === null || typeof raw !== 'object') return;
      const item = raw as Record<string, unknown>;
      if (item.targetBasis !== TO_FILL_BASIS) return;
      pending.add(index);
      const label = [item.code, item.name].filter((v) => typeof v === 'string' && v !== '').join(' ');
      problems.push(
        `indicators[${index}] (${label}): annual target still to fill (targetBasis: to-fill) / 年度目标待填`,
      );
    });
  }
  return {
    problems,
    covers: (path) =>
      path[0] === 'indicators' &&
      typeof path[1] === 'number' &&
      pending.has(path[1]) &&
      (path[2] === 'target' || path[2] === 'targetBasis' || path[2] === 'reportedResult'),
  };
}
