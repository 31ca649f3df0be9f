import type {
  Catalog,
  DeadlineIndicator,
  MilestoneStage,
} from '../../functions/core/catalog/catalog-schema.ts';
import { catalogSchema } from '../../functions/core/catalog/catalog-schema.ts';

/** A road or bridge's usual plan: started in March, structure done in August, open in December. */
export const ROAD_STAGES: readonly MilestoneStage[] = [
  { stage: '开工', plannedMonth: 3 },
  { stage: '主体完成', plannedMonth: 8 },
  { stage: '建成通车', plannedMonth: 12 },
];

/** Fields of a catalog file's entry, as its YAML would give them. */
type Fields = Readonly<Record<string, unknown>>;

const DEPARTMENT_NAMES = {
  fgw: ['发展和改革委员会', '发改委'],
  gxj: ['工业和信息化局', '工信局'],
  zjj: ['住房和城乡建设局', '住建局'],
  rsj: ['人力资源和社会保障局', '人社局'],
  mzj: ['民政局', '民政局'],
} as const;

/** Departments as a catalog file lists them, named under `prefix`: 区发展和改革委员会, 解放区… */
export function departmentsData(ids: readonly (keyof typeof DEPARTMENT_NAMES)[], prefix = '区') {
  return ids.map((id) => ({
    id,
    name: `${prefix}${DEPARTMENT_NAMES[id][0]}`,
    shortName: DEPARTMENT_NAMES[id][1],
  }));
}

/** A catalog file's content: 2023 of 测试区 with no departments or indicators, unless `fields` say otherwise. */
export function catalogData(fields: Fields): Fields {
  return {
    year: 2023,
    district: '测试区',
    title: '测试目标',
    sourceDocument: 'test',
    departments: [],
    indicators: [],
    ...fields,
  };
}

/** What every indicator of a catalog file states, whatever its kind. */
function indicatorHead(code: string, dept: string) {
  return { code, name: code, section: '经济结构', dept, source: '测试', targetBasis: 'assumed' };
}

/**
 * A numeric indicator as a catalog file states it: a cumulative 亿元 target of 经济结构, higher
 * is better, reported on target, unless `fields` say otherwise.
 */
export function numericIndicatorData(code: string, dept: string, fields: Fields = {}): Fields {
  return {
    ...indicatorHead(code, dept),
    kind: 'cumulative',
    unit: '亿元',
    direction: 'higher',
    target: 120,
    reportedResult: 120,
    ...fields,
  };
}

/** A milestone indicator of 城市建设 as a catalog file states it, on ROAD_STAGES and finished. */
export function milestoneIndicatorData(code: string, dept: string, fields: Fields = {}): Fields {
  return {
    ...indicatorHead(code, dept),
    section: '城市建设',
    kind: 'milestone',
    stages: ROAD_STAGES.map((s) => ({ ...s })),
    reportedResult: '建成通车',
    ...fields,
  };
}

/** fgw's GDP indicator as the 2023 report states it: 175亿元 planned, 177.3 reported. */
export function gdpIndicatorData(fields: Fields = {}): Fields {
  return numericIndicatorData('ECO-GDP', 'fgw', {
    name: '地区生产总值',
    source: '全区地区生产总值完成177.3亿元',
    target: 175,
    reportedResult: 177.3,
    ...fields,
  });
}

/** A one-indicator catalog for storage tests that do not care about the seed's content. */
export function tinyCatalog(overrides: Partial<Catalog> = {}): Catalog {
  return catalogSchema.parse(
    catalogData({
      departments: [{ ...departmentsData(['fgw'])[0], emails: ['fgw@example.cn'] }],
      indicators: [gdpIndicatorData()],
      ...overrides,
    }),
  );
}

/** An honour due by December (一次性成果), parsed shape: 新增省级“瞪羚”企业, 1家. */
export function honourIndicator(overrides: Partial<DeadlineIndicator> = {}): DeadlineIndicator {
  return {
    code: 'T-GAZELLE',
    name: '新增省级“瞪羚”企业',
    section: '发展动能',
    dept: 'gxj',
    coDepts: [],
    source: '测试',
    targetBasis: 'assumed',
    kind: 'deadline',
    unit: '家',
    direction: 'higher',
    target: 1,
    dueMonth: 12,
    allowNegative: false,
    ...overrides,
  };
}
