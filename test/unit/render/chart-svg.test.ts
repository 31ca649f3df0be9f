import { describe, expect, it } from 'vitest';
import { ChartRenderer, type TrendChartInput, trendSvg } from '../../../functions/adapters/pdf/chart-svg.ts';

const input = (over: Partial<TrendChartInput> = {}): TrendChartInput => ({
  trend: [12.5, 30, 41.25, null, null, null],
  expectedTrend: [8.3, 16.7, 25, 33.3, 41.7, 50],
  month: 3,
  unit: '亿元',
  inverse: false,
  ...over,
});

/** Each ECharts instance names the classes and clip paths in its SVG its own way (zr0-c0, zr1-cls-4 …). */
const sameDrawing = (svg: string) => svg.replace(/\bzr\d+-cls-\d+/g, 'zr-cls').replace(/\bzr\d+-/g, 'zr-');

describe('chart cache', () => {
  it('serves a chart drawn before for the same input, identical to drawing it afresh', () => {
    // Prepare
    const charts = new ChartRenderer();
    const uncached = new ChartRenderer(0);

    // Act
    const first = trendSvg(input(), charts);
    const again = trendSvg(input(), charts);
    const fresh = trendSvg(input(), uncached);

    // Assess
    expect(charts.hits).toBe(1);
    expect(again).toBe(first);
    expect(sameDrawing(fresh)).toBe(sameDrawing(first));
    expect(uncached.size).toBe(0);
  });

  it('never returns a stale chart when the data, month, unit or direction differ', () => {
    // Prepare
    const charts = new ChartRenderer();
    const base = trendSvg(input(), charts);

    // Act
    const variants = [
      trendSvg(input({ trend: [12.5, 30, 41.5, null, null, null] }), charts),
      trendSvg(input({ month: 4 }), charts),
      trendSvg(input({ unit: '万人次' }), charts),
      trendSvg(input({ inverse: true }), charts),
    ];

    // Assess
    expect(charts.hits).toBe(0);
    for (const svg of variants) expect(sameDrawing(svg)).not.toBe(sameDrawing(base));
    const redrawn = trendSvg(input({ trend: [12.5, 30, 41.5, null, null, null] }), new ChartRenderer(0));
    expect(sameDrawing(variants[0] ?? '')).toBe(sameDrawing(redrawn));
    expect(variants[2]).toContain('万人次');
  });

  it('keeps at most its limit of charts, dropping the oldest first', () => {
    // Prepare
    const charts = new ChartRenderer(2);

    // Act
    trendSvg(input({ month: 1 }), charts);
    trendSvg(input({ month: 2 }), charts);
    trendSvg(input({ month: 3 }), charts);
    trendSvg(input({ month: 3 }), charts);
    trendSvg(input({ month: 1 }), charts);

    // Assess
    expect(charts.size).toBe(2);
    expect(charts.hits).toBe(1);
  });
});
