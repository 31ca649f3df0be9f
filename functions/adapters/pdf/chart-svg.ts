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

function renderSvg(option: Option, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT_FAMILY, fontSize: 10 },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Horizontal bars: how many indicators are in each status. */
export function statusOverviewSvg(counts: StatusCounts, width = 640, height = 220): string {
  const statuses: Status[] = [...STATUSES].reverse();
  return renderSvg(
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
}

/** Actual values by month (solid, with points) against what schedule expects (dashed). */
export function trendSvg(input: TrendChartInput, width = 220, height = 120): string {
  const months = Array.from({ length: input.month }, (_, i) => `${i + 1}月`);
  const take = (s: MonthlySeries) => months.map((_, i) => s[i] ?? null);
  return renderSvg(
    {
      grid: { left: 42, right: 8, top: 18, bottom: 18 },
      legend: { show: false },
      xAxis: { type: 'category', data: months, axisLabel: { fontSize: 8 }, boundaryGap: false },
      yAxis: {
        type: 'value',
        inverse: input.inverse,
        scale: input.inverse,
        name: input.unit,
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
        },
        {
          name: '实际',
          type: 'line',
          data: take(input.trend),
          lineStyle: { color: '#0d47a1', width: 1.6 },
          itemStyle: { color: '#0d47a1' },
          symbolSize: 4,
          connectNulls: false,
        },
      ],
    },
    width,
    height,
  );
}
