import { z } from 'zod';

/**
 * The target catalog: what a work report commits the district to, and who answers for it.
 * This schema is the contract between the YAML files in templates/catalogs/, the progress
 * engine, the department templates, ingest and the bulletin. Parsing (with messages that
 * name the file, indicator and field) lives in catalog-parse.ts.
 */

import { DIRECTIONS, SECTIONS } from './catalog-constants.ts';

export {
  DIRECTIONS,
  type Direction,
  INDICATOR_KINDS,
  type IndicatorKind,
  type IndicatorValue,
  NOT_STARTED_STAGE,
  SECTIONS,
  type Section,
  STATUSES,
  type Status,
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

const indicatorBase = {
  /** Stable id, never reused: e.g. ECO-GDP. */
  code: z.string().regex(INDICATOR_CODE, 'code: upper-case words joined by hyphens, e.g. ECO-GDP'),
  name: z.string().min(1),
  section: z.enum(SECTIONS),
  /** 牵头单位: the department that reports the figure. */
  dept: z.string().min(1),
  /** 配合单位. */
  coDepts: z.array(z.string().min(1)).default([]),
  /** The source sentence of the work report. */
  source: z.string().min(1),
  /** Whether the annual target is stated (or implied) by the report, or assumed by us. */
  targetBasis: z.enum(['stated', 'implied', 'assumed']),
  /** Free-text note on how the target was derived. */
  note: z.string().optional(),
};

const monthlyProfile = z
  .array(z.number().min(0).max(1))
  .length(12)
  .refine((p) => p.every((v, i) => i === 0 || v >= (p[i - 1] ?? 0)), {
    message: 'profile: expected non-decreasing cumulative shares',
  })
  .refine((p) => Math.abs((p[11] ?? 0) - 1) < 1e-9, { message: 'profile: the December share must be 1' });

export const numericIndicatorSchema = z.object({
  ...indicatorBase,
  kind: z.enum(['cumulative', 'level', 'rate', 'rank']),
  /** Unit as people write it: 亿元, 万人次, %, 个, 位 … */
  unit: z.string().min(1),
  direction: z.enum(DIRECTIONS),
  /** Annual target in the indicator's unit (for rank: the target position). */
  target: z.number(),
  /** Last year's value where known (level indicators grow linearly from it). */
  baseline: z.number().optional(),
  /** The 2023 result stated by the report. */
  reportedResult: z.number(),
  /** Optional expected cumulative share per month (12 entries, December = 1); default N/12. */
  profile: monthlyProfile.optional(),
  /** Values that can never be negative (counts, money spent) reject negatives at ingest. */
  allowNegative: z.boolean().default(false),
});
export type NumericIndicator = z.infer<typeof numericIndicatorSchema>;

export const milestoneIndicatorSchema = z.object({
  ...indicatorBase,
  kind: z.literal('milestone'),
  unit: z.literal('阶段').default('阶段'),
  direction: z.literal('higher').default('higher'),
  /** Ordered stages; the last one is the annual target. */
  stages: z.array(milestoneStageSchema).min(1),
  /** The stage the report says was reached in 2023. */
  reportedResult: z.string().min(1),
});
export type MilestoneIndicator = z.infer<typeof milestoneIndicatorSchema>;

export const indicatorSchema = z.discriminatedUnion('kind', [
  numericIndicatorSchema,
  milestoneIndicatorSchema,
]);
export type Indicator = z.infer<typeof indicatorSchema>;

/**
 * Status bands in percentage points of the gap between completion and 序时进度.
 * Defaults (documented in docs/progress-rules.md): 超进度 when ahead by ≥ 5 points, 达进度 when
 * on or ahead by < 5, 欠进度 when behind by up to 10, 严重滞后 when behind by more.
 */
export const statusBandsSchema = z
  .object({
    aheadPoints: z.number().min(0).default(5),
    seriouslyBehindPoints: z.number().min(0).default(10),
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
  })
  .default({ leaders: [] });

export const catalogSchema = z.object({
  year: z.number().int().min(2000).max(2100),
  district: z.string().min(1),
  title: z.string().min(1),
  /** Where the catalog came from (the work report). */
  sourceDocument: z.string().min(1),
  /** Day of the following month by which submissions are due (未报送 after it). */
  submissionDueDay: z.number().int().min(1).max(28).default(3),
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
