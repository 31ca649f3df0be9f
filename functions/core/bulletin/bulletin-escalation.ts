import type { Status } from '../catalog/catalog-constants.ts';
import type { Indicator } from '../catalog/catalog-schema.ts';
import type { IndicatorProgress } from '../progress/progress-engine.ts';

/**
 * 重点督办事项: what a 督查室 escalates to the leaders on page 1, as district practice does.
 * An item is escalated when it is 严重滞后 in two consecutive judged periods (a month the
 * department did not report, or the indicator was not judged, neither counts nor breaks the
 * run, so not reporting never clears an escalation), when a milestone has a stage overdue,
 * or when a deadline or task is 逾期未完成. Each item names its 责任单位 and the months it has
 * been behind. Pure.
 */

export type EscalationReason = 'serious-twice' | 'milestone-overdue' | 'overdue';

export interface EscalationItem {
  readonly code: string;
  readonly name: string;
  readonly dept: string;
  readonly deptShortName: string;
  readonly reason: EscalationReason;
  /** "连续3期严重滞后", "开工建设（计划9月）逾期未达", "12月底到期，逾期未完成". */
  readonly reasonText: string;
  /** Months of the current run behind schedule, oldest first (1–12). */
  readonly behindMonths: readonly number[];
  /** "5月—7月（3期）", "3月、6月（2期）". */
  readonly behindText: string;
  readonly status: Status;
}

const BEHIND: ReadonlySet<Status> = new Set<Status>(['欠进度', '严重滞后', '逾期未完成']);
const NOT_COUNTED: ReadonlySet<Status> = new Set<Status>(['未报送', '未到期', '本期不判定']);

/** "5月—7月（3期）" for a contiguous run, "3月、6月、9月（3期）" otherwise. */
export function monthsText(months: readonly number[]): string {
  if (months.length === 0) return '';
  const first = months[0] ?? 0;
  const last = months.at(-1) ?? 0;
  const contiguous = last - first + 1 === months.length;
  const span =
    months.length === 1
      ? `${first}月`
      : contiguous
        ? `${first}月—${last}月`
        : months.map((m) => `${m}月`).join('、');
  return `${span}（${months.length}期）`;
}

/**
 * Months behind in the run that ends now: walking back from the current month, behind
 * months are collected, months not counted are stepped over, and the first month on
 * schedule ends the run.
 */
export function behindRun(history: readonly IndicatorProgress[]): number[] {
  const months: number[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const status = history[i]?.status;
    if (status === undefined || NOT_COUNTED.has(status)) continue;
    if (!BEHIND.has(status)) break;
    months.unshift(i + 1);
  }
  return months;
}

/** The last `count` judged statuses (未报送 and not-judged months stepped over), newest last. */
function lastJudged(history: readonly IndicatorProgress[], count: number): Status[] {
  const out: Status[] = [];
  for (let i = history.length - 1; i >= 0 && out.length < count; i--) {
    const status = history[i]?.status;
    if (status !== undefined && !NOT_COUNTED.has(status)) out.unshift(status);
  }
  return out;
}

export interface EscalationInput {
  readonly indicator: Indicator;
  readonly deptShortName: string;
  /** The indicator's progress at the end of each month from January to the bulletin's month. */
  readonly history: readonly IndicatorProgress[];
}

export function escalationFor(input: EscalationInput): EscalationItem | undefined {
  const { indicator, history } = input;
  const now = history.at(-1);
  if (!now) return undefined;
  const base = {
    code: indicator.code,
    name: indicator.name,
    dept: indicator.dept,
    deptShortName: input.deptShortName,
    status: now.status,
  };
  const run = behindRun(history);
  if (indicator.kind === 'milestone') {
    const reachedIndex = indicator.stages.findIndex((s) => s.stage === now.stageReached);
    const month = history.length;
    const overdue = indicator.stages.find((s, i) => i > reachedIndex && s.plannedMonth <= month);
    if (!overdue) return undefined;
    const months = Array.from(
      { length: month - overdue.plannedMonth + 1 },
      (_, i) => overdue.plannedMonth + i,
    );
    return {
      ...base,
      reason: 'milestone-overdue',
      reasonText: `${overdue.stage}（计划${overdue.plannedMonth}月）逾期未达`,
      behindMonths: months,
      behindText: monthsText(months),
    };
  }
  if (now.status === '逾期未完成') {
    return {
      ...base,
      reason: 'overdue',
      reasonText: `${now.dueMonth ?? ''}月底到期，逾期未完成`,
      behindMonths: run,
      behindText: monthsText(run),
    };
  }
  const judged = lastJudged(history, 2);
  const current = now.status === '严重滞后' || NOT_COUNTED.has(now.status);
  if (current && judged.length === 2 && judged.every((s) => s === '严重滞后')) {
    const serious = run.filter((m) => history[m - 1]?.status === '严重滞后');
    return {
      ...base,
      reason: 'serious-twice',
      reasonText: `连续${trailingSerious(history)}期严重滞后`,
      behindMonths: run,
      behindText: monthsText(run.length > 0 ? run : serious),
    };
  }
  return undefined;
}

/** How many judged periods in a row, up to now, were 严重滞后. */
function trailingSerious(history: readonly IndicatorProgress[]): number {
  let n = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const status = history[i]?.status;
    if (status === undefined || NOT_COUNTED.has(status)) continue;
    if (status !== '严重滞后') break;
    n++;
  }
  return n;
}
