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

interface Label {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** Every text of an ECharts SVG with the box it takes (8px font: CJK 8px wide, others 4.5px). */
function labels(svg: string): Label[] {
  const out: Label[] = [];
  for (const m of svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)) {
    const attrs = m[1] ?? '';
    const text = m[2] ?? '';
    const t = /translate\(([\d.-]+) ([\d.-]+)\)/.exec(attrs);
    const dy = Number(/ y="([\d.-]+)"/.exec(attrs)?.[1] ?? 0);
    const x = Number(t?.[1] ?? 0);
    const y = Number(t?.[2] ?? 0) + dy;
    const width = [...text].reduce((w, ch) => w + (/[\u3000-\u9fff]/.test(ch) ? 8 : 4.5), 0);
    const anchor = /text-anchor="(\w+)"/.exec(attrs)?.[1];
    const left = anchor === 'end' ? x - width : anchor === 'middle' ? x - width / 2 : x;
    out.push({ text, x, y, left, right: left + width, top: y - 4, bottom: y + 4 });
  }
  return out;
}

function overlapping(all: readonly Label[]): string[] {
  const pairs: string[] = [];
  all.forEach((a, i) => {
    for (const b of all.slice(i + 1)) {
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
        pairs.push(`${a.text} × ${b.text}`);
      }
    }
  });
  return pairs;
}

describe('chart axes (#12 problem 11)', () => {
  it('ticks a rank axis on whole places and prints its unit at the top, clear of the month labels', () => {
    // Act
    const svg = trendSvg(
      input({
        trend: [5, 5, 4, 6, 6, 6],
        expectedTrend: [4, 4, 4, 4, 4, 4],
        month: 6,
        unit: '位',
        inverse: true,
        integer: true,
      }),
      new ChartRenderer(0),
    );

    // Assess
    const all = labels(svg);
    const ticks = all.filter((l) => /^-?[\d.]+$/.test(l.text));
    const unit = all.find((l) => l.text === '位');
    const months = all.filter((l) => l.text.endsWith('月'));
    expect(ticks.map((t) => t.text)).toEqual(['4', '5', '6']);
    expect(unit?.y).toBeLessThan(Math.min(...ticks.map((t) => t.y)));
    expect(unit?.y).toBeLessThan(Math.min(...months.map((m) => m.y)) - 20);
    expect(overlapping(all)).toEqual([]);
  });

  it('ticks a count on whole numbers: no 0.5家', () => {
    // Act
    const counted = trendSvg(
      input({
        trend: [0, 0, 1, 1, 1, 2],
        expectedTrend: [0.2, 0.3, 0.5, 0.7, 0.8, 1],
        month: 6,
        unit: '家',
        integer: true,
      }),
      new ChartRenderer(0),
    );
    const fractional = trendSvg(
      input({ trend: [0, 0, 1, 1, 1, 2], expectedTrend: [0.2, 0.3, 0.5, 0.7, 0.8, 1], month: 6, unit: '家' }),
      new ChartRenderer(0),
    );

    // Assess
    const ticks = (svg: string) =>
      labels(svg)
        .filter((l) => /^-?[\d.]+$/.test(l.text))
        .map((l) => l.text);
    expect(ticks(counted).every((t) => Number.isInteger(Number(t)))).toBe(true);
    expect(ticks(fractional)).toContain('0.5');
    expect(overlapping(labels(counted))).toEqual([]);
  });
});
