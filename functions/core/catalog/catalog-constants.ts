/**
 * The fixed vocabularies of the catalog, apart from the zod schema so that runtime code
 * (the Lambda bundles) can use them without loading a schema library.
 */

/** The headings of the 2023 review, used when a catalog does not state its own `sections`. */
export const DEFAULT_SECTIONS = [
  '经济结构',
  '发展动能',
  '城市建设',
  '民生福祉',
  '社会大局',
  '政府自身建设',
] as const;
/** @deprecated the catalog's own `sections` (sectionsOf) are the headings; kept for old callers. */
export const SECTIONS = DEFAULT_SECTIONS;
/** A section heading of the report; each catalog names its own (DEFAULT_SECTIONS otherwise). */
export type Section = string;

/**
 * How an indicator is judged (docs/progress-rules.md has a worked example of each):
 * - cumulative: a year-to-date amount (投资, 游客, 亩) against N/12 or a monthly profile;
 * - stock: a level at period end (市场主体, 5G基站), judged on the planned increment from the baseline;
 * - rate: a growth rate or a share in % (增速, 占比), judged in points of the rate;
 * - rank: a position in a league table (全市第五), lower is better;
 * - milestone: stages of a project, each due in a month (开工 → 主体完成 → 建成通车);
 * - deadline: a one-off result due by a month (获评省级“瞪羚”企业): 未到期 / 已完成 / 逾期未完成;
 * - qualitative: a task the department reports as a stage, done by its due month (定性任务).
 */
export const INDICATOR_KINDS = [
  'cumulative',
  'stock',
  'rate',
  'rank',
  'milestone',
  'deadline',
  'qualitative',
] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/** Older spellings a catalog file (or a stored catalog) may still use, and what they mean now. */
export const LEGACY_KINDS: Readonly<Record<string, IndicatorKind>> = { level: 'stock' };

/** Kinds whose value is a number the department types (as opposed to a stage name). */
export const NUMERIC_KINDS = ['cumulative', 'stock', 'rate', 'rank', 'deadline'] as const;
export type NumericKind = (typeof NUMERIC_KINDS)[number];

/** Kinds judged against a schedule every period of their frequency. */
export const SCHEDULED_KINDS = ['cumulative', 'stock', 'rate', 'rank'] as const;
export type ScheduledKind = (typeof SCHEDULED_KINDS)[number];

/** How often an indicator is judged: every month, at quarter ends (3, 6, 9, 12), or in December. */
export const FREQUENCIES = ['monthly', 'quarterly', 'annual'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/**
 * Where an annual target comes from: the report states it (报告明确), it is derived from the
 * report's figures by stated arithmetic (测算), or it is assumed by the office (假设).
 */
export const TARGET_BASES = ['stated', 'derived', 'assumed'] as const;
export type TargetBasis = (typeof TARGET_BASES)[number];
/** Older spelling of `derived`. */
export const LEGACY_TARGET_BASES: Readonly<Record<string, TargetBasis>> = { implied: 'derived' };

/** The short Chinese mark printed beside a target, and its meaning for the footnote. */
export const TARGET_BASIS_LABEL: Readonly<Record<TargetBasis, { mark: string; text: string }>> = {
  stated: { mark: '明', text: '报告明确' },
  derived: { mark: '测', text: '按报告数据测算' },
  assumed: { mark: '假', text: '报告未明确，为假设目标' },
};

export const DIRECTIONS = ['higher', 'lower'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * Every status, in reading order: judged (已完成 … 逾期未完成), then 未报送, then the statuses
 * of indicators not judged this period (未到期: a dated result not yet due; 本期不判定: a
 * quarterly or annual indicator outside its judging months).
 */
export const STATUSES = [
  '已完成',
  '超进度',
  '达进度',
  '欠进度',
  '严重滞后',
  '逾期未完成',
  '未报送',
  '未到期',
  '本期不判定',
] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses of indicators not judged this period: left out of the on-schedule shares. */
export const NOT_JUDGED: ReadonlySet<Status> = new Set<Status>(['未到期', '本期不判定']);
/** Statuses that count as "达到序时进度". */
export const ON_SCHEDULE: ReadonlySet<Status> = new Set<Status>(['已完成', '超进度', '达进度']);
/** Statuses that count as behind (named in the headline). */
export const BEHIND: ReadonlySet<Status> = new Set<Status>(['欠进度', '严重滞后', '逾期未完成']);

/** The stage of a milestone before its first planned stage is reached. */
export const NOT_STARTED_STAGE = '未开工';

/** A value as a department reports it: a number, or a stage name for milestones and tasks. */
export type IndicatorValue = number | string;

/** The stage of a qualitative task before its first stage is reported. */
export const NOT_STARTED_TASK = '未启动';
