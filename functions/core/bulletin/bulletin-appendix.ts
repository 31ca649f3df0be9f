import type { Catalog } from '../catalog/catalog-schema.ts';
import {
  DEFAULT_MILESTONE_SERIOUSLY_BEHIND_STAGES,
  DEFAULT_RANK_SERIOUSLY_BEHIND_PLACES,
} from '../progress/progress-engine.ts';
import type { BulletinAppendix } from './bulletin-model.ts';

/** The appendix states the bands this bulletin was judged by, from the catalog, not from code. */
export function buildAppendix(catalog: Catalog): BulletinAppendix {
  const b = catalog.statusBands;
  const rank = b.rankSeriouslyBehindPlaces ?? DEFAULT_RANK_SERIOUSLY_BEHIND_PLACES;
  const stages = b.milestoneSeriouslyBehindStages ?? DEFAULT_MILESTONE_SERIOUSLY_BEHIND_STAGES;
  return {
    bands: b,
    statusRules: [
      {
        status: '超进度',
        rule: `完成进度高于序时进度${b.aheadPoints}个百分点及以上；排名优于目标；重点项目节点提前`,
      },
      {
        status: '达进度',
        rule: `完成进度不低于序时进度，且高出不足${b.aheadPoints}个百分点；排名、节点与目标持平`,
      },
      { status: '欠进度', rule: `完成进度低于序时进度，差距不超过${b.seriouslyBehindPoints}个百分点` },
      {
        status: '严重滞后',
        rule: `完成进度低于序时进度超过${b.seriouslyBehindPoints}个百分点；排名落后目标超过${rank}位；重点项目落后计划${stages}个及以上节点`,
      },
      { status: '未报送', rule: `截至次月${catalog.submissionDueDay}日未收到责任单位的有效报送` },
      { status: '已完成', rule: '已达到年度目标（越低越好的指标于12月判定）' },
    ],
    definitions: [
      {
        term: '序时进度',
        text: '按时间均衡推进、到本月末应完成的年度目标比例：第N月末为N/12；指标另有分月计划的，按计划执行；存量类指标自上年基数起按月线性推进。',
      },
      { term: '完成率', text: '本期值（年初至本月累计或月末存量）除以年度目标。' },
      {
        term: '差距',
        text: '完成进度与序时进度之差，以百分点表示，正数为超前，负数为落后；越低越好的指标已按方向换算。',
      },
      {
        term: '增速、比率类指标',
        text: '以年初至本月的增速或占比直接与年度目标比较，差距为两者之差（百分点）。',
      },
      { term: '排名类指标', text: '以全市排名位次与目标位次比较，位次越小越好。' },
      { term: '重点项目节点', text: '按计划月份应达到的建设阶段与实际达到的阶段比较。' },
    ],
  };
}
