import {
  type BulletinModel,
  type BulletinRow,
  departmentSlice,
  type StatusCounts,
} from '../../core/bulletin/bulletin-model.ts';
import { STATUSES, type Status } from '../../core/catalog/catalog-schema.ts';
import { NotFoundError } from '../../core/errors.ts';
import { printableText, SUBSTITUTE_FOOTNOTE } from '../../core/text/printable-text.ts';
import { type ChartRenderer, statusOverviewSvg, trendSvg } from './chart-svg.ts';
import { STATUS_STYLE, type StatusStyle } from './status-style.ts';

/**
 * What the templates print, derived from the bulletin model and nothing else: labels,
 * status styling, chart SVGs and the department-scoped wording. Pure and deterministic,
 * so the HTML can be tested without a browser.
 */

export interface StatusCell extends StatusStyle {
  readonly status: Status;
}

export interface StatusCountView extends StatusCell {
  readonly count: number;
  readonly shareText: string;
}

export interface RowView extends BulletinRow {
  readonly index: number;
  readonly st: StatusCell;
}

export interface TrendChartView {
  readonly code: string;
  readonly name: string;
  readonly deptShortName: string;
  readonly unit: string;
  readonly st: StatusCell;
  readonly svg: string;
}

export interface SectionView {
  readonly number: string;
  readonly name: string;
  readonly total: number;
  readonly countsText: string;
  readonly rows: readonly RowView[];
  readonly notes: readonly { readonly code: string; readonly name: string; readonly note: string }[];
  /** Set when a note printed here holds a substitute such as 〔U+1F637〕: the line explaining it. */
  readonly notesFootnote: string | null;
  readonly charts: readonly TrendChartView[];
}

export interface BulletinView {
  readonly model: BulletinModel;
  /** Document title: <title>, PDF metadata and the cover. */
  readonly documentTitle: string;
  /** Set for a department's own slice. */
  readonly scope: { readonly id: string; readonly name: string; readonly shortName: string } | null;
  readonly versionLabel: string;
  /** One line for the running header of every page. */
  readonly headerText: string;
  readonly footerText: string;
  readonly headline: readonly string[];
  readonly statusCounts: readonly StatusCountView[];
  readonly totalIndicators: number;
  readonly overviewSvg: string;
  readonly sections: readonly SectionView[];
  /** 情况说明 of each milestone as printed (substitutes in place), by indicator code. */
  readonly milestoneNotes: ReadonlyMap<string, string>;
  /** Set when a milestone note holds a substitute. */
  readonly milestoneNotesFootnote: string | null;
  readonly statusOf: (s: Status) => StatusCell;
}

const CHINESE_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

function statusCell(status: Status): StatusCell {
  return { status, ...STATUS_STYLE[status] };
}

function countsText(counts: StatusCounts): string {
  const parts = STATUSES.filter((s) => counts[s] > 0).map((s) => `${s}${counts[s]}项`);
  return parts.length > 0 ? parts.join('，') : '无指标';
}

function statusCountViews(counts: StatusCounts, total: number): StatusCountView[] {
  return STATUSES.map((s) => ({
    ...statusCell(s),
    count: counts[s],
    shareText: total > 0 ? `${((counts[s] / total) * 100).toFixed(1)}%` : '—',
  }));
}

/** Numeric indicators get a trend chart; a milestone's stages are shown in their own table. */
function trendChart(row: BulletinRow, month: number, charts?: ChartRenderer): TrendChartView | null {
  if (row.kind === 'milestone') return null;
  return {
    code: row.code,
    name: row.name,
    deptShortName: row.deptShortName,
    unit: row.unit,
    st: statusCell(row.status),
    svg: trendSvg(
      {
        trend: row.trend,
        expectedTrend: row.expectedTrend,
        month,
        unit: row.unit,
        inverse: row.direction === 'lower',
      },
      charts,
    ),
  };
}

/** A department's slice leads with its own sentence; the district headline follows. */
function departmentHeadline(full: BulletinModel, slice: BulletinModel, deptId: string): string[] {
  const rollup = full.departments.find((d) => d.id === deptId);
  if (rollup === undefined) return [...full.headline];
  const own =
    `本单位牵头${slice.totalIndicators}项指标：${countsText(slice.statusCounts)}；` +
    `按达到序时进度指标占比（${rollup.onTrackShareText}）在${full.departments.length}个责任单位中排第${rollup.rank}名` +
    `${rollup.reported ? '' : '；本期未报送'}。`;
  return [own, ...full.headline];
}

/**
 * A department's notes as the PDF prints them: characters the bundled font cannot draw
 * (emoji, CJK Extension B) become their code points, 〔U+1F637〕, so one department's text
 * can never stop the bulletin, and a footnote says what the brackets mean. Everything duban
 * writes itself still passes the strict glyph check unchanged.
 */
function printedNotes<T extends { readonly note: string }>(
  items: readonly T[],
): {
  items: T[];
  footnote: string | null;
} {
  let substituted = false;
  const out = items.map((item) => {
    const printed = printableText(item.note.trim());
    substituted ||= printed.substituted;
    return { ...item, note: printed.text };
  });
  return { items: out, footnote: substituted ? SUBSTITUTE_FOOTNOTE : null };
}

/** `charts` lets a renderer share drawn charts between the bulletin and its department slices. */
export function buildBulletinView(
  full: BulletinModel,
  deptId?: string,
  charts?: ChartRenderer,
): BulletinView {
  let model = full;
  let scope: BulletinView['scope'] = null;
  if (deptId !== undefined) {
    const dept = full.departments.find((d) => d.id === deptId);
    if (dept === undefined) throw new NotFoundError(`no department ${deptId} in this bulletin`);
    model = departmentSlice(full, deptId);
    scope = { id: dept.id, name: dept.name, shortName: dept.shortName };
  }
  const versionLabel = `第${model.version}版`;
  const documentTitle = scope === null ? model.title : `${model.title}·${scope.shortName}`;
  let index = 0;
  const sections = model.sections.map((s, i) => {
    const rows = s.rows.map((r) => ({ ...r, index: ++index, st: statusCell(r.status) }));
    const notes = printedNotes(
      s.rows.filter((r) => r.note.trim() !== '').map((r) => ({ code: r.code, name: r.name, note: r.note })),
    );
    return {
      number: CHINESE_NUMERALS[i] ?? String(i + 1),
      name: s.name,
      total: s.total,
      countsText: countsText(s.counts),
      rows,
      notes: notes.items,
      notesFootnote: notes.footnote,
      charts: s.rows.flatMap((r) => trendChart(r, model.month, charts) ?? []),
    };
  });
  const milestoneNotes = printedNotes(model.milestones);
  return {
    model,
    documentTitle,
    scope,
    versionLabel,
    headerText: `${model.district}·${model.periodLabel}目标任务进度通报·${versionLabel}${scope ? `·${scope.shortName}` : ''}`,
    footerText: `${model.generatorVersion}·生成于${model.generatedDateLabel}`,
    headline: scope === null ? [...model.headline] : departmentHeadline(full, model, scope.id),
    statusCounts: statusCountViews(model.statusCounts, model.totalIndicators),
    totalIndicators: model.totalIndicators,
    overviewSvg: statusOverviewSvg(model.statusCounts, charts),
    sections,
    milestoneNotes: new Map(milestoneNotes.items.map((m) => [m.code, m.note])),
    milestoneNotesFootnote: milestoneNotes.footnote,
    statusOf: statusCell,
  };
}
