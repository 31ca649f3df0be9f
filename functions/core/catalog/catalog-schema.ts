import { z } from 'zod';

/**
 * The target catalog: what a work report commits the district to, and who answers for it.
 * This schema is the contract between the YAML files in templates/catalogs/ (hand-written,
 * drafted from a report, or rolled from last year's), the progress engine, the department
 * templates, ingest and the bulletin. Parsing (with messages that name the file, indicator
 * and field) lives in catalog-parse.ts; the rules per kind are in docs/progress-rules.md.
 */

import { DIRECTIONS, FREQUENCIES, TARGET_BASES } from './catalog-constants.ts';
import { normalizeLegacyIndicator } from './catalog-legacy.ts';

export {
  BEHIND,
  DEFAULT_SECTIONS,
  DIRECTIONS,
  type Direction,
  FREQUENCIES,
  type Frequency,
  INDICATOR_KINDS,
  type IndicatorKind,
  type IndicatorValue,
  NOT_JUDGED,
  NOT_STARTED_STAGE,
  NUMERIC_KINDS,
  type NumericKind,
  ON_SCHEDULE,
  SCHEDULED_KINDS,
  type ScheduledKind,
  SECTIONS,
  type Section,
  STATUSES,
  type Status,
  TARGET_BASES,
  TARGET_BASIS_LABEL,
  type TargetBasis,
} from './catalog-constants.ts';

const periodMonth = z.number().int().min(1).max(12);

export const departmentSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,31}$/, 'department id: lower-case letters, digits and hyphens, 2–32 chars'),
  name: z.string().min(1),
  shortName: z.string().min(1),
  emails: z.array(z.email()).default([]),
});
export type Department = z.infer<typeof departmentSchema>;

export const milestoneStageSchema = z.object({
  /** Stage name, e.g. 开工, 主体完成, 建成通车. */
  stage: z.string().min(1),
  /** Month of the catalog year by which this stage is planned. */
  plannedMonth: periodMonth,
});
export type MilestoneStage = z.infer<typeof milestoneStageSchema>;

/** What an indicator code looks like: upper-case words joined by hyphens, e.g. ECO-GDP. */
export const INDICATOR_CODE = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;

/** What every indicator states, whatever its kind. */
const indicatorBase = {
  /** Stable id, never reused: e.g. ECO-GDP. */
  code: z.string().regex(INDICATOR_CODE, 'code: upper-case words joined by hyphens, e.g. ECO-GDP'),
  name: z.string().min(1),
  /** One of the catalog's section headings (`sections`, or the 2023 review's six). */
  section: z.string().min(1),
  /** 牵头单位: the department that reports the figure. */
  dept: z.string().min(1),
  /** 配合单位. */
  coDepts: z.array(z.string().min(1)).default([]),
  /** The source sentence of the work report, verbatim. */
  source: z.string().min(1),
  /** Where the annual target comes from: stated by the report, derived from its figures, or assumed. */
  targetBasis: z.enum(TARGET_BASES),
  /** For a derived target: the arithmetic, e.g. "104.5 ÷ 145.5% ≈ 71.82". */
  arithmetic: z.string().min(1).optional(),
  /** Free-text note for the office (why a profile, what an assumption rests on). */
  note: z.string().optional(),
  /**
   * The target is a placeholder (a rolled catalog carries last year's, marked assumed) until
   * the new report states it: judged and printed as 假设, named by `catalog check` as to fill.
   */
  targetToFill: z.literal(true).optional(),
};

/** 12 cumulative shares, non-decreasing, December = 1. */
const shareProfile = z
  .array(z.number().min(0).max(1))
  .length(12)
  .refine((p) => p.every((v, i) => i === 0 || v >= (p[i - 1] ?? 0)), {
    message: 'profile: expected non-decreasing cumulative shares',
  })
  .refine((p) => Math.abs((p[11] ?? 0) - 1) < 1e-9, { message: 'profile: the December share must be 1' });

/** What every indicator with a numeric annual target states. */
const numericBase = {
  ...indicatorBase,
  /** Unit as people write it: 亿元, 万人次, %, 个, 位 … */
  unit: z.string().min(1),
  direction: z.enum(DIRECTIONS),
  /** Annual target in the indicator's unit (for rank: the target position). */
  target: z.number(),
  /** The result the report states for the year; absent in a catalog of targets not yet reported. */
  reportedResult: z.number().optional(),
  /** Values that can never be negative (counts, money spent) reject negatives at ingest. */
  allowNegative: z.boolean().default(false),
  /** How often the indicator is judged; quarterly ones only in March, June, September, December. */
  frequency: z.enum(FREQUENCIES).default('monthly'),
};

export const cumulativeIndicatorSchema = z.object({
  ...numericBase,
  kind: z.literal('cumulative'),
  /** Expected cumulative share of the target per month (12 entries, December = 1); default N/12. */
  profile: shareProfile.optional(),
  /** Last year's value, for the next year's draft (not used in judging). */
  baseline: z.number().optional(),
});

export const stockIndicatorSchema = z.object({
  ...numericBase,
  kind: z.literal('stock'),
  /** The level at the end of last year: the planned increment is target − baseline. */
  baseline: z.number(),
  /** Expected cumulative share of the planned increment per month; default N/12. */
  profile: shareProfile.optional(),
});

export const rateIndicatorSchema = z.object({
  ...numericBase,
  kind: z.literal('rate'),
  /**
   * A seasonal rate's expected year-to-date value per month, in the rate's unit (12 entries,
   * December = the target); without it the target applies from January.
   */
  profile: z.array(z.number()).length(12).optional(),
  baseline: z.number().optional(),
});

export const rankIndicatorSchema = z.object({
  ...numericBase,
  kind: z.literal('rank'),
  baseline: z.number().optional(),
});

export const deadlineIndicatorSchema = z.object({
  ...indicatorBase,
  kind: z.literal('deadline'),
  /** What is counted: 家, 个, 项 … */
  unit: z.string().min(1),
  direction: z.literal('higher').default('higher'),
  /** How many results are due (an honour: 1). */
  target: z.number().int().min(1).default(1),
  /** Month by whose end the result is due; before it the indicator is 未到期. */
  dueMonth: periodMonth,
  reportedResult: z.number().optional(),
  allowNegative: z.literal(false).default(false),
});

export const milestoneIndicatorSchema = z.object({
  ...indicatorBase,
  kind: z.literal('milestone'),
  unit: z.literal('阶段').default('阶段'),
  direction: z.literal('higher').default('higher'),
  /** Ordered stages; the last one is the annual target. */
  stages: z.array(milestoneStageSchema).min(1),
  /** The stage the report says was reached. */
  reportedResult: z.string().min(1).optional(),
});

export const qualitativeIndicatorSchema = z.object({
  ...indicatorBase,
  kind: z.literal('qualitative'),
  unit: z.literal('阶段').default('阶段'),
  direction: z.literal('higher').default('higher'),
  /** Stages the department can report, in order; the last one means the task is done. */
  stages: z.array(z.string().min(1)).min(1),
  /** Month by whose end the task is due. */
  dueMonth: periodMonth,
  reportedResult: z.string().min(1).optional(),
});

export const indicatorSchema = z.preprocess(
  normalizeLegacyIndicator,
  z.discriminatedUnion('kind', [
    cumulativeIndicatorSchema,
    stockIndicatorSchema,
    rateIndicatorSchema,
    rankIndicatorSchema,
    milestoneIndicatorSchema,
    deadlineIndicatorSchema,
    qualitativeIndicatorSchema,
  ]),
);
export type Indicator = z.infer<typeof indicatorSchema>;
export type CumulativeIndicator = z.infer<typeof cumulativeIndicatorSchema>;
export type StockIndicator = z.infer<typeof stockIndicatorSchema>;
export type RateIndicator = z.infer<typeof rateIndicatorSchema>;
export type RankIndicator = z.infer<typeof rankIndicatorSchema>;
export type DeadlineIndicator = z.infer<typeof deadlineIndicatorSchema>;
export type MilestoneIndicator = z.infer<typeof milestoneIndicatorSchema>;
export type QualitativeIndicator = z.infer<typeof qualitativeIndicatorSchema>;
/** Indicators judged against a schedule of their frequency. */
export type NumericIndicator = CumulativeIndicator | StockIndicator | RateIndicator | RankIndicator;
/** Indicators whose value is a stage name. */
export type StagedIndicator = MilestoneIndicator | QualitativeIndicator;

/**
 * Status bands. Amounts (cumulative, stock) in percentage points of the gap between progress
 * and 序时进度; rates in points of the rate itself; ranks in places; milestones in stages.
 * Defaults are documented in docs/progress-rules.md; the optional ones default in the engine.
 */
export const statusBandsSchema = z
  .object({
    aheadPoints: z.number().min(0).default(5),
    seriouslyBehindPoints: z.number().min(0).default(10),
    /** Rates: 超进度 when at least this many points above the expected rate (default 1). */
    rateAheadPoints: z.number().min(0).optional(),
    /** Rates: up to this many points below the expected rate still counts as 达进度 (default 0.5). */
    rateTolerancePoints: z.number().min(0).optional(),
    /** Rates: 严重滞后 when more than this many points below (default 2). */
    rateSeriouslyBehindPoints: z.number().min(0).optional(),
    /** Ranks: 严重滞后 when more than this many places behind the target position (default 2). */
    rankSeriouslyBehindPlaces: z.number().int().min(0).optional(),
    /** Milestones: 严重滞后 when at least this many stages behind plan (default 2). */
    milestoneSeriouslyBehindStages: z.number().int().min(1).optional(),
  })
  .default({ aheadPoints: 5, seriouslyBehindPoints: 10 });
export type StatusBands = z.infer<typeof statusBandsSchema>;

export const recipientsSchema = z
  .object({
    leaders: z.array(z.email()).default([]),
    owner: z.email().optional(),
    /** The statistics office's contacts: the 催报 summary of who is still missing (default: owner). */
    office: z.array(z.email()).optional(),
  })
  .default({ leaders: [] });

/** HH:00 in Beijing time: whole hours, because the schedules on AWS run at the top of each hour. */
const clockHour = z
  .string()
  .regex(
    /^([01]\d|2[0-3]):00$/,
    'time of day: HH:00 in Beijing time (whole hours; the schedules run hourly)',
  );

const ifHoliday = z.enum(['next-working-day', 'previous-working-day']);

/**
 * A day of the month after the period, stated one of three ways (exactly one): a calendar
 * day moved off a holiday or weekend per `ifHoliday`, the n-th working day of the month, or
 * (bulletins only) n working days after the submission due date. Dates follow the official
 * working-day calendar (法定节假日 and 调休); docs/calendar.md has the rules and examples.
 */
const dayRuleFields = {
  day: z.number().int().min(1).max(28).optional(),
  ifHoliday: ifHoliday.default('next-working-day'),
  workingDay: z.number().int().min(1).max(20).optional(),
};
const exactlyOne = (keys: readonly string[]) => (rule: Record<string, unknown>) =>
  keys.filter((k) => rule[k] !== undefined).length === 1;

export const submissionDueSchema = z
  .strictObject(dayRuleFields)
  .refine(exactlyOne(['day', 'workingDay']), { message: 'state exactly one of day or workingDay' });
export type SubmissionDueRule = z.infer<typeof submissionDueSchema>;

export const bulletinIssueSchema = z
  .strictObject({
    ...dayRuleFields,
    workingDaysAfterDue: z.number().int().min(1).max(10).optional(),
    at: clockHour.default('08:00'),
  })
  .refine(exactlyOne(['day', 'workingDay', 'workingDaysAfterDue']), {
    message: 'state exactly one of day, workingDay or workingDaysAfterDue',
  });
export type BulletinIssueRule = z.infer<typeof bulletinIssueSchema>;

/** A reminder point: n working days from the due date (−2 = two before, 0 = on it, 1 = the next). */
export const reminderPointSchema = z.strictObject({
  workingDays: z.number().int().min(-10).max(10),
  at: clockHour.default('09:00'),
});
export type ReminderPoint = z.infer<typeof reminderPointSchema>;

export const DEFAULT_REMINDER_POINTS: readonly ReminderPoint[] = [
  { workingDays: -2, at: '09:00' },
  { workingDays: 0, at: '09:00' },
  { workingDays: 1, at: '09:00' },
];

export const remindersSchema = z.strictObject({
  /** When departments that have not reported are reminded (催报); an empty list turns reminders off. */
  points: z
    .array(reminderPointSchema)
    .max(6)
    .default([...DEFAULT_REMINDER_POINTS]),
});

export const catalogSchema = z.object({
  year: z.number().int().min(2000).max(2100),
  district: z.string().min(1),
  title: z.string().min(1),
  /** Where the catalog came from (the work report). */
  sourceDocument: z.string().min(1),
  /** The report's section headings, in order; absent: the 2023 review's six (DEFAULT_SECTIONS). */
  sections: z.array(z.string().min(1)).min(1).optional(),
  /** Day of the following month by which submissions are due (未报送 after it). */
  submissionDueDay: z.number().int().min(1).max(28).default(3),
  /**
   * The due rule on the official calendar; without it, `submissionDueDay` moved to the next
   * working day when it falls on a holiday or weekend.
   */
  submissionDue: submissionDueSchema.optional(),
  /** When the bulletin is issued; default: the first working day after the due date, 08:00. */
  bulletinIssue: bulletinIssueSchema.optional(),
  /** 催报 points; default: 2 working days before the due date, on it, and 1 after, at 09:00. */
  reminders: remindersSchema.optional(),
  statusBands: statusBandsSchema,
  recipients: recipientsSchema,
  departments: z.array(departmentSchema).min(1),
  indicators: z.array(indicatorSchema).min(1),
});
export type Catalog = z.infer<typeof catalogSchema>;
export type CatalogInput = z.input<typeof catalogSchema>;

/** A catalog as stored: content plus the version it was given when loaded. */
export interface CatalogVersion {
  readonly year: number;
  readonly version: number;
  /** sha256 of the canonical JSON of the catalog; equal content is the same version. */
  readonly contentHash: string;
  readonly catalog: Catalog;
  readonly loadedAt: string;
}
