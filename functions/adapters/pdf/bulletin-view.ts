import {
  type BulletinModel,
  type BulletinRow,
  departmentSlice,
  type StatusCounts,
} from '../../core/bulletin/bulletin-model.ts';
import { NOT_JUDGED, STATUSES, type Status, TARGET_BASIS_LABEL } from '../../core/catalog/catalog-schema.ts';
import { NotFoundError } from '../../core/errors.ts';
import { printableText, SUBSTITUTE_FOOTNOTE } from '../../core/text/printable-text.ts';
import { unitFamily } from '../../core/units.ts';
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
  /** 测 or 假 beside the target (see the footnote); empty for a target the report states. */
  readonly targetMark: string;
}

/** A group of status columns on page 1: judged, not reported, not judged this period. */
export interface StatusClassView {
  readonly label: string;
  readonly statuses: readonly StatusCountView[];
  readonly count: number;
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
  /** The same counts grouped: 已判定 (by status), 未报送, 本期不判定 (未到期, 本期不判定). */
  readonly statusClasses: readonly StatusClassView[];
  /** The status columns of the ranking table: every judged status and 未报送. */
  readonly rankStatuses: readonly StatusCountView[];
  readonly totalIndicators: number;
  /** The footnote on target marks, or '' when every target is stated. */
  readonly targetBasisNote: string;
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

const CLASSES: readonly { label: string; statuses: readonly Status[] }[] = [
  {
    label: '本期判定',
    statuses: ['已完成', '超进度', '达进度', '欠进度', '严重滞后', '逾期未完成', '未报送'],
  },
  { label: '本期不判定', statuses: ['未到期', '本期不判定'] },
];

function statusClassViews(views: readonly StatusCountView[]): StatusClassView[] {
  return CLASSES.map((c) => {
    const statuses = views.filter((v) => c.statuses.includes(v.status));
    return { label: c.label, statuses, count: statuses.reduce((n, v) => n + v.count, 0) };
  });
}

/** The mark printed beside a target: 测 (derived from the report's figures), 假 (assumed). */
export function targetMark(row: Pick<BulletinRow, 'targetBasis'>): string {
  return row.targetBasis === 'stated' ? '' : TARGET_BASIS_LABEL[row.targetBasis].mark;
}

function targetBasisNote(rows: readonly BulletinRow[]): string {
  const derived = rows.some((r) => r.targetBasis === 'derived');
  const assumed = rows.some((r) => r.targetBasis === 'assumed');
  if (!derived && !assumed) return '';
  const parts = [
    '未标注的年度目标为报告明确的目标',
    derived ? '标“测”的按报告数据测算（算式见附录）' : '',
    assumed ? '标“假”的报告未明确，为督查室设定的假设目标，据此作出的判定仅供参考' : '',
  ].filter(Boolean);
  return `注：${parts.join('；')}。`;
}

/** Counts and ranks draw on whole numbers: their axis gets integer ticks. */
function wholeNumbers(row: BulletinRow): boolean {
  if (row.kind === 'rank' || row.kind === 'deadline') return true;
  const family = unitFamily(row.unit);
  return (
    family !== undefined && (family.startsWith('count') || family === 'household' || family === 'person')
  );
}

/**
 * Amounts, stocks, rates and ranks get a trend chart; a milestone's stages are shown in their
 * own table, and a deadline or task is one dated result, not a line.
 */
function trendChart(row: BulletinRow, month: number, charts?: ChartRenderer): TrendChartView | null {
  if (row.kind === 'milestone' || row.kind === 'deadline' || row.kind === 'qualitative') return null;
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
        inverse: row.kind === 'rank',
        integer: wholeNumbers(row),
        connect: row.frequency !== 'monthly',
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
    (rollup.rank === null
      ? '本期无判定指标，不参与排名'
      : `按达到序时进度指标占比（${rollup.onTrackShareText}）在${full.departments.filter((d) => d.rank !== null).length}个责任单位中排第${rollup.rank}名${rollup.tied ? '（并列）' : ''}${rollup.rankChangeText && rollup.rankChangeText !== '—' ? `（较上月${rollup.rankChangeText}）` : ''}`) +
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
  const everyRow = model.sections.flatMap((s) => s.rows);
  const documentTitle = scope === null ? model.title : `${model.title}·${scope.shortName}`;
  let index = 0;
  const sections = model.sections.map((s, i) => {
    const rows = s.rows.map((r) => ({
      ...r,
      index: ++index,
      st: statusCell(r.status),
      targetMark: targetMark(r),
    }));
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
    headerText: `${model.district}·${model.periodLabel}目标任务进度通报·${model.issueLabel}·${versionLabel}${scope ? `·${scope.shortName}` : ''}`,
    footerText: `${model.generatorVersion}·编发于${model.issueDateLabel}`,
    headline: scope === null ? [...model.headline] : departmentHeadline(full, model, scope.id),
    statusCounts: statusCountViews(model.statusCounts, model.totalIndicators),
    statusClasses: statusClassViews(statusCountViews(model.statusCounts, model.totalIndicators)),
    rankStatuses: statusCountViews(model.statusCounts, model.totalIndicators).filter(
      (c) => !NOT_JUDGED.has(c.status),
    ),
    totalIndicators: model.totalIndicators,
    targetBasisNote: targetBasisNote(everyRow),
    overviewSvg: statusOverviewSvg(model.statusCounts, charts),
    sections,
    milestoneNotes: new Map(milestoneNotes.items.map((m) => [m.code, m.note])),
    milestoneNotesFootnote: milestoneNotes.footnote,
    statusOf: statusCell,
  };
}
