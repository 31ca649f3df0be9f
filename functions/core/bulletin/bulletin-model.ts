import { STATUSES } from '../catalog/catalog-constants.ts';
import type {
  Frequency,
  IndicatorKind,
  Section,
  Status,
  StatusBands,
  TargetBasis,
} from '../catalog/catalog-schema.ts';
import type { EscalationItem } from './bulletin-escalation.ts';

/**
 * The monthly progress bulletin (进度通报) as data: everything the PDF templates, the Excel
 * workbook, the notification mail and the CLI show. It is built once per run by
 * `buildBulletinModel` (bulletin-builder.ts) and every renderer reads only this, so the PDF
 * and the workbook can never disagree on a figure. Numbers come with their display text
 * (`…Text`) formatted once here; renderers print the text and use the numbers for charts,
 * sorting and fills.
 *
 * Contract shared with the PDF engineer: fields are only ever added, never renamed.
 */

export const BULLETIN_MODEL_SCHEMA = 1 as const;

/** Status → count, every status present (0 when none). */
export type StatusCounts = Readonly<Record<Status, number>>;

/** A month-by-month series for the catalog year: index 0 = January; null where no value. */
export type MonthlySeries = readonly (number | null)[];

export interface BulletinRow {
  readonly code: string;
  readonly name: string;
  readonly section: Section;
  readonly kind: IndicatorKind;
  /** 计量单位: 亿元, %, 个, 位, 阶段 … */
  readonly unit: string;
  readonly direction: 'higher' | 'lower';
  /** 牵头单位 id and display name. */
  readonly dept: string;
  readonly deptName: string;
  readonly deptShortName: string;
  /** 配合单位 display names. */
  readonly coDeptNames: readonly string[];
  /** 本期值: number, or the stage name for milestones; null when not reported. */
  readonly value: number | string | null;
  readonly valueText: string;
  /** 年度目标: number, or the final stage name for milestones and tasks. */
  readonly target: number | string;
  readonly targetText: string;
  /** Where the target comes from: stated by the report, derived (arithmetic below), or assumed. */
  readonly targetBasis: TargetBasis;
  /** For a derived target: how it was derived from the report's figures. */
  readonly targetArithmetic: string | null;
  /** How often the indicator is judged (monthly, quarterly, annual). */
  readonly frequency: Frequency;
  /** Why the indicator is not judged this period (未到期, 本期不判定), else null. */
  readonly notJudgedReason: string | null;
  /** 完成率 as a fraction (0.8 = 80%); null for rates, ranks and unreported rows. */
  readonly completionRate: number | null;
  readonly completionRateText: string;
  /** 序时进度 as a fraction of the annual target expected by this month (0.5 in June). */
  readonly expectedShare: number | null;
  readonly expectedShareText: string;
  /** What the schedule asks for by now in the indicator's unit (amounts, rates: the expected rate). */
  readonly expectedValue: number | null;
  /** Completion minus schedule in percentage points (positive = ahead); null when not comparable. */
  readonly gapPoints: number | null;
  /** Ranks: places ahead (+) or behind (−); milestones: stages ahead or behind; else null. */
  readonly gapSteps: number | null;
  /** The gap as printed in the unit of the kind: "-8.2个百分点", "-1位", "-1个节点", a reason. */
  readonly gapText: string;
  readonly status: Status;
  /** 情况说明 the department wrote for this row (raw text; renderers escape). */
  readonly note: string;
  /** Value per month of the catalog year (milestones: ordinal of the stage reached, 0 = none). */
  readonly trend: MonthlySeries;
  /** What schedule expects per month up to this month (cumulative: target × share; level/rate/rank: target). */
  readonly expectedTrend: MonthlySeries;
  /** The submission version the value comes from; null when not reported. */
  readonly submissionVersion: number | null;
  /** True when this row's value changed since the previous version of this bulletin. */
  readonly correctedSinceLastVersion: boolean;
  /** The work-report sentence the indicator comes from. */
  readonly source: string;
}

export interface BulletinSection {
  readonly name: Section;
  readonly counts: StatusCounts;
  readonly total: number;
  readonly rows: readonly BulletinRow[];
}

export interface DepartmentRollup {
  readonly id: string;
  readonly name: string;
  readonly shortName: string;
  /** Position in the catalog's department list: the fixed order of department sheets. */
  readonly order: number;
  /** Indicators this department leads (its own slice of the bulletin). */
  readonly indicatorCodes: readonly string[];
  readonly indicatorNames: readonly string[];
  readonly counts: StatusCounts;
  readonly total: number;
  /** Indicators judged this period (未报送 included; 未到期 and 本期不判定 not). */
  readonly judged: number;
  /** Judged indicators that are 已完成, 超进度 or 达进度. */
  readonly onSchedule: number;
  /** Did an accepted submission arrive for this period? */
  readonly reported: boolean;
  readonly submissionVersion: number | null;
  /** ISO time the submission used was received. */
  readonly receivedAt: string | null;
  /** ISO time the first accepted version of the period arrived (what lateness is judged on). */
  readonly firstReceivedAt?: string | null;
  /** 逾期报送: the first accepted version arrived after the due day. */
  readonly late?: boolean;
  /** When the department was reminded (催报) before this bulletin, ISO instants, oldest first. */
  readonly remindedAt?: readonly string[];
  /** "已报送", "逾期报送（7月5日）", "未报送（已催报：7月3日、7月4日）". */
  readonly reportingText?: string;
  /**
   * onSchedule / judged as printed (one decimal of a percent, half-up): the ranking key.
   * Null when nothing of the department is judged this period.
   */
  readonly onTrackShare: number | null;
  readonly onTrackShareText: string;
  /** 1 = best; equal printed shares share a place (1, 1, 3); null when nothing is judged. */
  readonly rank: number | null;
  /** Another department shares this place (printed 并列). */
  readonly tied: boolean;
  /** Place last month (on the figures as they stand now); null when not ranked then. */
  readonly rankBefore: number | null;
  /** "↑2", "↓1", "新", "—" (same place), "" (not ranked now). */
  readonly rankChangeText: string;
}

export interface NotReportedDepartment {
  readonly id: string;
  readonly name: string;
  readonly shortName: string;
  readonly indicatorCodes: readonly string[];
  readonly indicatorNames: readonly string[];
  /** When it was reminded (催报) before this bulletin, ISO instants; labels in remindedText. */
  readonly remindedAt?: readonly string[];
  /** "7月3日、7月4日", or "" when it was not reminded. */
  readonly remindedText?: string;
}

/** The month's reporting against its due date: on time, late (逾期报送), not reported. */
export interface BulletinReporting {
  /** The due day, YYYY-MM-DD, and as printed ("2023年7月4日"). */
  readonly dueDay: string;
  readonly dueDayLabel: string;
  /** The rule in Chinese, e.g. "次月4日（遇法定节假日或休息日顺延至下一个工作日）". */
  readonly dueRule: string;
  readonly onTime: number;
  readonly late: number;
  readonly notReported: number;
  /** Departments that reported late, by short name. */
  readonly lateNames: readonly string[];
  /** Departments reminded (催报) this period, reported since or not. */
  readonly reminded: number;
  /** One sentence for page 1: "本期报送截止日为2023年7月4日：按时报送11个单位，逾期报送0个，未报送1个。" */
  readonly summary: string;
}

export interface MilestoneStageView {
  readonly stage: string;
  readonly plannedMonth: number;
  /** Reached by the reported stage. */
  readonly reached: boolean;
  /** Planned by this month. */
  readonly due: boolean;
}

export interface MilestoneView {
  readonly code: string;
  readonly name: string;
  readonly dept: string;
  readonly deptName: string;
  /** Stage reported this month; null when not reported. */
  readonly currentStage: string | null;
  /** The furthest stage reported so far this year (a reached stage stays reached); null when none. */
  readonly reachedStage: string | null;
  /** Stage planned by this month; null when no stage is due yet. */
  readonly expectedStage: string | null;
  readonly stages: readonly MilestoneStageView[];
  readonly status: Status;
  readonly note: string;
}

export interface CorrectionItem {
  /** Period of the corrected submission (this month, or an earlier month of the year). */
  readonly period: string;
  readonly dept: string;
  readonly deptName: string;
  readonly code: string;
  readonly indicatorName: string;
  readonly before: number | string | null;
  readonly after: number | string | null;
  readonly beforeText: string;
  readonly afterText: string;
  /** Submission versions compared (from → to). */
  readonly fromVersion: number | null;
  readonly toVersion: number;
  /** ISO time the correcting submission was received. */
  readonly receivedAt: string;
  /** The same in Beijing time, as printed: "2023-04-20 10:00". */
  readonly receivedAtText: string;
}

export interface BulletinCorrections {
  /** The bulletin version these corrections are measured against; null for a first issue. */
  readonly sinceVersion: number | null;
  readonly items: readonly CorrectionItem[];
  /** One Chinese sentence for the cover/summary, e.g. "较第1版，更正2项数据：…". */
  readonly summary: string;
}

export interface Definition {
  readonly term: string;
  readonly text: string;
}

export interface StatusBandView {
  readonly status: Status;
  /** Rule in Chinese, e.g. "完成率高于序时进度5个百分点及以上". */
  readonly rule: string;
}

export interface TargetBasisView {
  readonly code: string;
  readonly name: string;
  readonly basis: TargetBasis;
  /** 测 or 假. */
  readonly mark: string;
  /** The arithmetic of a derived target, the office's note on an assumed one. */
  readonly text: string;
}

export interface BulletinAppendix {
  readonly bands: StatusBands;
  readonly statusRules: readonly StatusBandView[];
  readonly definitions: readonly Definition[];
  /** Every target the report does not state, with how it was derived or why it was assumed. */
  readonly targetBases: readonly TargetBasisView[];
}

export interface BulletinInputs {
  readonly catalogYear: number;
  readonly catalogVersion: number;
  /** dept → submission version used for this period (departments that reported). */
  readonly submissionVersions: Readonly<Record<string, number>>;
  /** sha256 of the canonical inputs (see inputs-hash.ts); equal hash → unchanged bulletin. */
  readonly inputsHash: string;
}

export interface BulletinModel {
  readonly schema: typeof BULLETIN_MODEL_SCHEMA;
  readonly district: string;
  /** e.g. "解放区2024年政府工作报告目标任务进度通报（2024年3月）". */
  readonly title: string;
  /** YYYY-MM */
  readonly period: string;
  readonly year: number;
  readonly month: number;
  /** "2024年3月" */
  readonly periodLabel: string;
  /** Bulletin version for this period (v1, v2 after a correction …). */
  readonly version: number;
  /** ISO time of generation. */
  readonly generatedAt: string;
  /** "2024年4月5日" (Asia/Shanghai): the day the model was built. */
  readonly generatedDateLabel: string;
  /** ISO time of issue: the schedule's instant (the replay's date in `duban demo`). */
  readonly issuedAt: string;
  /** 编发日期: "2024年1月5日" (Asia/Shanghai), from issuedAt. */
  readonly issueDateLabel: string;
  /** 期号 within the year: the month reported on. */
  readonly issueNumber: number;
  /** "2023年第12期", "2023年第3期（更正版）" for a re-issue. */
  readonly issueLabel: string;
  readonly generatorVersion: string;
  readonly catalog: {
    readonly year: number;
    readonly version: number;
    readonly title: string;
    readonly sourceDocument: string;
  };
  /** Headline sentences in Chinese, most important first. */
  readonly headline: readonly string[];
  readonly statusCounts: StatusCounts;
  readonly totalIndicators: number;
  /** Indicators judged this period (all but 未到期 and 本期不判定; 未报送 is judged). */
  readonly judgedIndicators: number;
  /** Judgements (not 未报送) resting on a target the report does not state (targetBasis assumed). */
  readonly assumedJudgements: number;
  /** 重点督办事项: escalated items, in catalog order. */
  readonly escalations: readonly EscalationItem[];
  /** Sections in catalog order; only sections that have indicators. */
  readonly sections: readonly BulletinSection[];
  /** Departments in ranking order (best first). */
  readonly departments: readonly DepartmentRollup[];
  readonly notReported: readonly NotReportedDepartment[];
  /** Reporting against the due date; absent in a model built without a calendar (older callers). */
  readonly reporting?: BulletinReporting;
  readonly milestones: readonly MilestoneView[];
  readonly corrections: BulletinCorrections;
  readonly appendix: BulletinAppendix;
  readonly inputs: BulletinInputs;
  /** The version's place in the archive's hash chain, printed on the last page. */
  readonly chain?: BulletinChainPosition;
}

/**
 * What a printed copy carries so it can be checked against the archive: the link's number,
 * its predecessor's manifest sha256 and the signing key's fingerprint (with the inputs
 * fingerprint the appendix already prints). The manifest's own sha256 cannot be printed in a
 * file the manifest hashes; the leaders' mail carries it.
 */
export interface BulletinChainPosition {
  readonly seq: number;
  readonly prevSeq: number | null;
  readonly prevManifestSha256: string | null;
  readonly keyFingerprint: string;
}

/** All rows of the model in section order. */
export function allRows(model: BulletinModel): BulletinRow[] {
  return model.sections.flatMap((s) => s.rows);
}

export function emptyStatusCounts(): Record<Status, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
}

export function countStatuses(statuses: Iterable<Status>): Record<Status, number> {
  const counts = emptyStatusCounts();
  for (const s of statuses) counts[s] += 1;
  return counts;
}

/**
 * The slice of the model one department leads: its rows (section counts recomputed), its
 * roll-up, milestones and corrections; headline and appendix stay those of the whole bulletin.
 */
export function departmentSlice(model: BulletinModel, deptId: string): BulletinModel {
  const sections = model.sections
    .map((s) => {
      const rows = s.rows.filter((r) => r.dept === deptId);
      return { ...s, rows, total: rows.length, counts: countStatuses(rows.map((r) => r.status)) };
    })
    .filter((s) => s.rows.length > 0);
  const rows = sections.flatMap((s) => s.rows);
  return {
    ...model,
    sections,
    statusCounts: countStatuses(rows.map((r) => r.status)),
    totalIndicators: rows.length,
    departments: model.departments.filter((d) => d.id === deptId),
    notReported: model.notReported.filter((d) => d.id === deptId),
    milestones: model.milestones.filter((m) => m.dept === deptId),
    corrections: {
      ...model.corrections,
      items: model.corrections.items.filter((c) => c.dept === deptId),
    },
  };
}
