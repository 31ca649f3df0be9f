import * as echarts from 'echarts';
import type { MonthlySeries, StatusCounts } from '../../core/bulletin/bulletin-model.ts';
import { STATUSES, type Status } from '../../core/catalog/catalog-schema.ts';
import { FONT_FAMILY } from './font-catalog.ts';
import { STATUS_STYLE } from './status-style.ts';

/**
 * Charts as SVG strings rendered in Node by ECharts' server-side SVG renderer: the page gets
 * finished vector markup, so Chromium runs no script and fetches nothing to draw them.
 */

type Option = Parameters<echarts.ECharts['setOption']>[0];

/**
 * A department's slice draws the very charts the whole bulletin drew moments before, so
 * finished SVGs are remembered by their full option and size: a different value, month or
 * unit is a different key, so a cached chart can never stand in for other data. Every chart
 * still comes from its own ECharts instance: an instance prefixes the CSS classes and clip-path
 * ids in its SVG with its own id, which keeps the charts of one page from restyling each other (and
 * reusing one instance per size measured no faster anyway).
 */
export class ChartRenderer {
  private readonly svgs = new Map<string, string>();
  private hitCount = 0;

  constructor(private readonly maxCached = 2_000) {}

  render(option: Option, width: number, height: number): string {
    const full = { animation: false, textStyle: { fontFamily: FONT_FAMILY, fontSize: 10 }, ...option };
    const key = `${width}x${height}:${JSON.stringify(full)}`;
    const cached = this.svgs.get(key);
    if (cached !== undefined) {
      this.hitCount++;
      return cached;
    }
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
    try {
      chart.setOption(full);
      const svg = chart.renderToSVGString();
      // Oldest out first: a Map iterates in insertion order.
      if (this.svgs.size >= this.maxCached) this.svgs.delete(this.svgs.keys().next().value ?? '');
      if (this.maxCached > 0) this.svgs.set(key, svg);
      return svg;
    } finally {
      chart.dispose();
    }
  }

  /** How many charts came from the cache. */
  get hits(): number {
    return this.hitCount;
  }

  get size(): number {
    return this.svgs.size;
  }
}

/** Charts of callers that do not bring their own renderer (tests, one-off views). */
const shared = new ChartRenderer();

/** Horizontal bars: how many indicators are in each status. */
export function statusOverviewSvg(
  counts: StatusCounts,
  charts: ChartRenderer = shared,
  width = 640,
  height = 220,
): string {
  const statuses: Status[] = [...STATUSES].reverse();
  return charts.render(
    {
      grid: { left: 70, right: 40, top: 10, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 9 } },
      yAxis: { type: 'category', data: statuses, axisLabel: { fontSize: 11 } },
      series: [
        {
          type: 'bar',
          barWidth: '60%',
          data: statuses.map((s) => ({ value: counts[s], itemStyle: { color: STATUS_STYLE[s].color } })),
          label: { show: true, position: 'right', fontSize: 10, formatter: '{c}项', textBorderWidth: 0 },
        },
      ],
    },
    width,
    height,
  );
}

export interface TrendChartInput {
  readonly trend: MonthlySeries;
  readonly expectedTrend: MonthlySeries;
  /** Months shown: January up to the bulletin month. */
  readonly month: number;
  readonly unit: string;
  /** Rank indicators: lower is better, so the axis is drawn upside down. */
  readonly inverse: boolean;
  /** Counts and ranks: ticks on whole numbers only (no 1.2位, no 0.2家). */
  readonly integer?: boolean;
  /** Quarterly and annual figures: join the months that have one (the others are not missing). */
  readonly connect?: boolean;
}

/** Actual values by month (solid, with points) against what schedule expects (dashed). */
export function trendSvg(
  input: TrendChartInput,
  charts: ChartRenderer = shared,
  width = 220,
  height = 120,
): string {
  const months = Array.from({ length: input.month }, (_, i) => `${i + 1}月`);
  const take = (s: MonthlySeries) => months.map((_, i) => s[i] ?? null);
  return charts.render(
    {
      grid: { left: 42, right: 8, top: 18, bottom: 18 },
      legend: { show: false },
      xAxis: { type: 'category', data: months, axisLabel: { fontSize: 8 }, boundaryGap: false },
      yAxis: {
        type: 'value',
        inverse: input.inverse,
        scale: input.inverse,
        ...(input.integer ? { minInterval: 1 } : {}),
        name: input.unit,
        // The unit sits at the top of the axis: on an inverted (rank) axis 'end' is the bottom,
        // where it would overprint the first month's label.
        nameLocation: input.inverse ? 'start' : 'end',
        nameTextStyle: { fontSize: 8, align: 'right' },
        axisLabel: { fontSize: 8 },
        splitLine: { lineStyle: { color: '#e0e0e0' } },
      },
      series: [
        {
          name: '序时进度',
          type: 'line',
          data: take(input.expectedTrend),
          lineStyle: { type: 'dashed', color: '#757575', width: 1 },
          itemStyle: { color: '#757575' },
          symbol: 'none',
          connectNulls: input.connect === true,
        },
        {
          name: '实际',
          type: 'line',
          data: take(input.trend),
          lineStyle: { color: '#0d47a1', width: 1.6 },
          itemStyle: { color: '#0d47a1' },
          symbolSize: 4,
          connectNulls: input.connect === true,
        },
      ],
    },
    width,
    height,
  );
}
