import { describe, expect, it } from 'vitest';
import {
  formatNumber,
  formatPercent,
  formatPercentOf,
  formatPoints,
  formatValue,
  NO_FIGURE,
  roundHalfUp,
} from '../../../functions/core/format-decimal.ts';

describe('format-decimal', () => {
  it('prints 104.5 / 71.82 as 145.5%, never 145.49999%', () => {
    // Act / Assess
    expect(formatPercent(104.5 / 71.82)).toBe('145.5%');
    expect(formatPercentOf(104.5, 71.82)).toBe('145.5%');
    expect(formatPercent(1.455)).toBe('145.5%');
  });

  it('rounds half up on the decimal text, not on the binary double', () => {
    // Prepare: 0.145 × 100 is 14.499999999999998 in floating point; 1.005 rounds to 1.00 with toFixed
    const cases: [number, number, string][] = [
      [0.145, 1, '14.5%'],
      [0.00125, 2, '0.13%'],
      [0.5, 0, '50%'],
      [1, 1, '100.0%'],
    ];

    // Act / Assess
    for (const [ratio, digits, text] of cases) expect(formatPercent(ratio, digits)).toBe(text);
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(-2.25, 1)).toBe(-2.3);
  });

  it('prints a dash for a figure that does not exist', () => {
    // Assess
    expect(formatPercent(null)).toBe(NO_FIGURE);
    expect(formatPercent(Number.NaN)).toBe(NO_FIGURE);
    expect(formatPercentOf(1, 0)).toBe(NO_FIGURE);
    expect(formatPoints(undefined)).toBe(NO_FIGURE);
    expect(formatValue(null, '亿元')).toBe(NO_FIGURE);
  });

  it('signs the gap in points', () => {
    // Assess
    expect(formatPoints(3.25)).toBe('+3.3');
    expect(formatPoints(-12)).toBe('-12.0');
    expect(formatPoints(-0.04)).toBe('0.0');
    expect(formatPoints(0)).toBe('0.0');
  });

  it('writes values with their unit as the report does', () => {
    // Assess
    expect(formatValue(177.3, '亿元')).toBe('177.3亿元');
    expect(formatValue(0.1 + 0.2, '亿元')).toBe('0.3亿元');
    expect(formatValue(31769, '户')).toBe('31769户');
    expect(formatValue(64.8, '%')).toBe('64.8%');
    expect(formatValue(5, '位')).toBe('第5位');
    expect(formatValue('主体完成', '阶段')).toBe('主体完成');
    expect(formatNumber(2.005)).toBe('2.01');
    expect(formatNumber(-0.001)).toBe('0');
  });
});
