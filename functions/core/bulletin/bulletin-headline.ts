import type { Status } from '../catalog/catalog-schema.ts';
import type {
  BulletinCorrections,
  BulletinRow,
  DepartmentRollup,
  MilestoneView,
  NotReportedDepartment,
  StatusCounts,
} from './bulletin-model.ts';

export interface HeadlineInput {
  readonly rows: readonly BulletinRow[];
  readonly statusCounts: StatusCounts;
  readonly departments: readonly DepartmentRollup[];
  readonly notReported: readonly NotReportedDepartment[];
  readonly milestones: readonly MilestoneView[];
  readonly corrections: BulletinCorrections;
}

/** Sentences name at most this many indicators or departments. */
const NAMED = 5;

/** "甲、乙、丙" or, past NAMED, "甲、乙…等12项" with the measure word of the things listed. */
function listed(names: readonly string[], measure = '项'): string {
  const shown = names.slice(0, NAMED).join('、');
  return names.length > NAMED ? `${shown}等${names.length}${measure}` : shown;
}

/** "地区生产总值（发改委，完成率38.0%，序时进度50.0%）" — the figures a leader asks for next. */
function describeLate(r: BulletinRow): string {
  const figures =
    r.completionRate !== null && r.expectedShare !== null && r.kind !== 'milestone'
      ? `完成率${r.completionRateText}，序时进度${r.expectedShareText}`
      : r.kind === 'milestone'
        ? `应达${r.expectedShareText}，实际${r.valueText}`
        : `本期${r.valueText}，目标${r.targetText}`;
  return `${r.name}（${r.deptShortName}，${figures}）`;
}

function countPart(counts: StatusCounts, statuses: readonly Status[]): string {
  return statuses.map((s) => `${s}${counts[s]}项`).join('、');
}

/**
 * Headline sentences in Chinese, most important first: the overall count, what is seriously
 * late, who did not report, the ranking, the key projects, and the corrections.
 */
export function buildHeadline(input: HeadlineInput): string[] {
  const c = input.statusCounts;
  const total = input.rows.length;
  const onTrack = c.超进度 + c.达进度 + c.已完成;
  const lines = [
    `全区${total}项指标中，${onTrack}项达到序时进度（${countPart(c, ['超进度', '达进度', '已完成'])}），${countPart(c, ['欠进度', '严重滞后', '未报送'])}。`,
  ];
  const late = input.rows.filter((r) => r.status === '严重滞后');
  if (late.length > 0) lines.push(`严重滞后${late.length}项：${listed(late.map(describeLate))}。`);
  if (input.notReported.length > 0) {
    const names = input.notReported.map((d) => `${d.shortName}（${d.indicatorCodes.length}项指标）`);
    lines.push(`${input.notReported.length}个责任单位未报送：${listed(names, '个单位')}。`);
  } else {
    lines.push('各责任单位均已报送本期数据。');
  }
  const ranked = input.departments.filter((d) => d.reported);
  const first = ranked[0];
  const last = ranked.at(-1);
  if (first && last && first.score !== last.score) {
    const top = ranked.filter((d) => d.rank === first.rank).map((d) => d.shortName);
    const bottom = ranked.filter((d) => d.rank === last.rank).map((d) => d.shortName);
    lines.push(
      `已报送单位中，综合得分最高的是${listed(top, '个单位')}（${first.scoreText}分），最低的是${listed(bottom, '个单位')}（${last.scoreText}分）。`,
    );
  }
  if (input.milestones.length > 0) {
    const m = input.milestones;
    const onPlan = m.filter(
      (x) => x.status === '超进度' || x.status === '达进度' || x.status === '已完成',
    ).length;
    const behind = m.filter((x) => x.status === '欠进度' || x.status === '严重滞后').length;
    const missing = m.filter((x) => x.status === '未报送').length;
    lines.push(
      `${m.length}个重点项目中，${onPlan}个按计划推进，${behind}个滞后于计划节点${missing > 0 ? `，${missing}个未报送` : ''}。`,
    );
  }
  if (input.corrections.items.length > 0) lines.push(input.corrections.summary);
  return lines;
}
