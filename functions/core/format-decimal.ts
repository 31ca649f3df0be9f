import { Decimal } from 'decimal.js';
import type { IndicatorValue } from './catalog/catalog-schema.ts';
import { unitFamily } from './units.ts';

/**
 * Exact decimals for what people read. Every figure goes through decimal.js built from the
 * shortest text of the double (0.145 is "0.145", not 0.14499999999999999), and is rounded
 * half-up (四舍五入), the convention of Chinese statistical tables. See docs/progress-rules.md.
 */
const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/** Shown for a figure that does not exist (no submission, zero target …). */
export const NO_FIGURE = '—';

export function roundHalfUp(value: number, digits: number): number {
  return new Exact(value).toDecimalPlaces(digits, Decimal.ROUND_HALF_UP).toNumber();
}

/** 1.455026… → "145.5%". */
export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return NO_FIGURE;
  return `${new Exact(ratio).times(100).toFixed(digits, Decimal.ROUND_HALF_UP)}%`;
}

/** numerator / denominator as a percentage, divided exactly: (104.5, 71.82) → "145.5%". */
export function formatPercentOf(numerator: number, denominator: number, digits = 1): string {
  if (denominator === 0 || !Number.isFinite(numerator) || !Number.isFinite(denominator)) return NO_FIGURE;
  return `${new Exact(numerator).times(100).div(denominator).toFixed(digits, Decimal.ROUND_HALF_UP)}%`;
}

/** Percentage points with a sign: 3.25 → "+3.3", -12 → "-12.0", 0 → "0.0". */
export function formatPoints(points: number | null | undefined, digits = 1): string {
  if (points === null || points === undefined || !Number.isFinite(points)) return NO_FIGURE;
  const text = new Exact(points).toFixed(digits, Decimal.ROUND_HALF_UP);
  if (/^-?0(\.0+)?$/.test(text)) return text.replace('-', '');
  return text.startsWith('-') ? text : `+${text}`;
}

/**
 * Plain number, at most `maxDigits` decimals, trailing zeros dropped, no grouping
 * (the report writes 31769户, 177.3亿元).
 */
export function formatNumber(value: number, maxDigits = 2): string {
  const text = new Exact(value).toDecimalPlaces(maxDigits, Decimal.ROUND_HALF_UP).toFixed();
  return text === '-0' ? '0' : text;
}

/** A value with its unit as the report writes it: 177.3亿元, 64.8%, 第5位, a stage name. */
export function formatValue(value: IndicatorValue | null | undefined, unit: string): string {
  if (value === null || value === undefined) return NO_FIGURE;
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return NO_FIGURE;
  if (unitFamily(unit) === 'rank') return `第${formatNumber(value, 0)}位`;
  return `${formatNumber(value, 2)}${unit}`;
}
