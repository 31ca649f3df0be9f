import type { Status } from '../catalog/catalog-schema.ts';
import type { EscalationItem } from './bulletin-escalation.ts';
import type {
  BulletinCorrections,
  BulletinReporting,
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
  readonly escalations: readonly EscalationItem[];
  readonly reporting?: BulletinReporting;
}

/** "甲、乙、丙": every name, no "等" — a leader must see everything that is behind. */
function listed(names: readonly string[]): string {
  return names.join('、');
}

/** "地区生产总值（发改委，完成率38.0%，序时进度50.0%）" — the figures a leader asks for next. */
function describeLate(r: BulletinRow): string {
  let figures: string;
  if (r.kind === 'milestone') figures = `应达${r.expectedShareText}，实际${r.valueText}`;
  else if (r.kind === 'deadline' || r.kind === 'qualitative') figures = r.gapText;
  else if (r.kind === 'rate') figures = `本期${r.valueText}，应达${r.expectedShareText}，差${r.gapText}`;
  else if (r.kind === 'rank') figures = `本期${r.valueText}，目标${r.targetText}`;
  else if (r.completionRate !== null && r.expectedShare !== null)
    figures = `完成率${r.completionRateText}，序时进度${r.expectedShareText}`;
  else figures = `本期${r.valueText}，目标${r.targetText}`;
  return `${r.name}（${r.deptShortName}，${figures}）`;
}

function countPart(counts: StatusCounts, statuses: readonly Status[]): string {
  return statuses
    .filter((s) => counts[s] > 0)
    .map((s) => `${s}${counts[s]}项`)
    .join('、');
}

/** "另有5项本期不判定（未到期3项、季度或年度指标2项）"; empty when everything is judged. */
function notJudgedPart(counts: StatusCounts): string {
  const notDue = counts.未到期;
  const offPeriod = counts.本期不判定;
  if (notDue + offPeriod === 0) return '';
  const parts = [
    notDue > 0 ? `未到期${notDue}项` : '',
    offPeriod > 0 ? `季度或年度指标本期不判定${offPeriod}项` : '',
  ].filter(Boolean);
  return `；另有${notDue + offPeriod}项本期不判定（${parts.join('、')}）`;
}

function rankingSentence(departments: readonly DepartmentRollup[]): string | undefined {
  const ranked = departments.filter((d) => d.rank !== null);
  const first = ranked[0];
  const last = ranked.at(-1);
  if (!first || !last || first.onTrackShareText === last.onTrackShareText) return undefined;
  const at = (rank: number | null) => ranked.filter((d) => d.rank === rank).map((d) => d.shortName);
  return `按达到序时进度的指标占比排名，${listed(at(first.rank))}居首（${first.onTrackShareText}），${listed(at(last.rank))}居末（${last.onTrackShareText}）。`;
}

/**
 * Headline sentences in Chinese, most important first: the overall count (judged and not
 * judged), every item behind with its 责任单位, who did not report, the ranking, the key
 * projects, and the corrections.
 */
export function buildHeadline(input: HeadlineInput): string[] {
  const c = input.statusCounts;
  const total = input.rows.length;
  const judged = total - c.未到期 - c.本期不判定;
  const onTrack = c.超进度 + c.达进度 + c.已完成;
  const behindPart = countPart(c, ['欠进度', '严重滞后', '逾期未完成', '未报送']);
  const lines = [
    `全区${total}项指标中，本期判定${judged}项：${onTrack}项达到序时进度（${countPart(c, ['已完成', '超进度', '达进度']) || '无'}）${behindPart ? `，${behindPart}` : ''}${notJudgedPart(c)}。`,
  ];
  const assumed = input.rows.filter((r) => r.targetBasis === 'assumed' && isJudged(r.status)).length;
  if (assumed > 0)
    lines.push(
      `本期判定的${judged}项中，${assumed}项所依据的年度目标为假设目标（报告未明确），见各表“假”字标注。`,
    );
  for (const status of ['严重滞后', '逾期未完成', '欠进度'] as const) {
    const rows = input.rows.filter((r) => r.status === status);
    if (rows.length > 0) lines.push(`${status}${rows.length}项：${listed(rows.map(describeLate))}。`);
  }
  if (input.escalations.length > 0) {
    const items = input.escalations.map((e) => `${e.name}（${e.deptShortName}，${e.reasonText}）`);
    lines.push(`列入重点督办事项${input.escalations.length}项：${listed(items)}。`);
  }
  if (input.notReported.length > 0) {
    const names = input.notReported.map((d) => {
      const reminded = d.remindedAt?.length ?? 0;
      return `${d.shortName}（${d.indicatorCodes.length}项指标${reminded > 0 ? `，已催报${reminded}次` : ''}）`;
    });
    lines.push(`${input.notReported.length}个责任单位未报送：${listed(names)}。`);
  } else {
    lines.push('各责任单位均已报送本期数据。');
  }
  const overdue = input.reporting?.lateNames ?? [];
  if (overdue.length > 0) lines.push(`${overdue.length}个责任单位逾期报送：${listed(overdue)}。`);
  const ranking = rankingSentence(input.departments);
  if (ranking) lines.push(ranking);
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

function isJudged(status: Status): boolean {
  return status !== '未报送' && status !== '未到期' && status !== '本期不判定';
}
