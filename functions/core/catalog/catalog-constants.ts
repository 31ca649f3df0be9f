/**
 * The fixed vocabularies of the catalog, apart from the zod schema so that runtime code
 * (the Lambda bundles) can use them without loading a schema library.
 */

export const SECTIONS = ['经济结构', '发展动能', '城市建设', '民生福祉', '社会大局', '政府自身建设'] as const;
export type Section = (typeof SECTIONS)[number];

export const INDICATOR_KINDS = ['cumulative', 'level', 'rate', 'rank', 'milestone'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export const DIRECTIONS = ['higher', 'lower'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const STATUSES = ['超进度', '达进度', '欠进度', '严重滞后', '未报送', '已完成'] as const;
export type Status = (typeof STATUSES)[number];

/** The stage of a milestone before its first planned stage is reached. */
export const NOT_STARTED_STAGE = '未开工';

/** A value as a department reports it: a number, or a stage name for milestones. */
export type IndicatorValue = number | string;
