import { TARGET_BASIS_LABEL } from '../catalog/catalog-constants.ts';
import type { Catalog } from '../catalog/catalog-schema.ts';
import { resolvedBands } from '../progress/progress-engine.ts';
import type { BulletinAppendix } from './bulletin-model.ts';

/**
 * The appendix states the bands this bulletin was judged by, from the catalog, not from code,
 * and where every target that the report does not state comes from.
 */
export function buildAppendix(catalog: Catalog, dueRule?: string): BulletinAppendix {
  const b = resolvedBands(catalog.statusBands);
  return {
    bands: catalog.statusBands,
    statusRules: [
      {
        status: '已完成',
        rule: '已达到年度目标：累计类达到即完成；存量、增速比率、排名及越低越好的指标于12月判定；节点、期限类事项成果取得即完成',
      },
      {
        status: '超进度',
        rule: `完成进度高于序时进度${b.aheadPoints}个百分点及以上（存量类按计划增量计）；增速、比率高于应达值${b.rateAheadPoints}个百分点及以上；排名优于目标；重点项目节点提前`,
      },
      {
        status: '达进度',
        rule: `完成进度不低于序时进度且高出不足${b.aheadPoints}个百分点；增速、比率不低于应达值${b.rateTolerancePoints}个百分点以上；排名、节点与目标持平`,
      },
      {
        status: '欠进度',
        rule: `完成进度低于序时进度不超过${b.seriouslyBehindPoints}个百分点；增速、比率低于应达值不超过${b.rateSeriouslyBehindPoints}个百分点；排名落后1—${b.rankSeriouslyBehindPlaces}位；节点落后不足${b.milestoneSeriouslyBehindStages}个`,
      },
      {
        status: '严重滞后',
        rule: `完成进度低于序时进度超过${b.seriouslyBehindPoints}个百分点；增速、比率低于应达值超过${b.rateSeriouslyBehindPoints}个百分点；排名落后目标超过${b.rankSeriouslyBehindPlaces}位；重点项目落后计划${b.milestoneSeriouslyBehindStages}个及以上节点`,
      },
      { status: '逾期未完成', rule: '有期限的单项成果、定性任务到期未完成' },
      {
        status: '未报送',
        rule: `截至${dueRule ? `报送截止日（按“${dueRule}”确定）` : `次月${catalog.submissionDueDay}日`}未收到责任单位的有效报送（计入判定，不计入达序时）${dueRule ? '；截止日后首次报送的，在报送情况中标注“逾期报送”' : ''}`,
      },
      { status: '未到期', rule: '有期限的单项成果、定性任务尚未到期且未完成（本期不判定）' },
      { status: '本期不判定', rule: '季度指标于3、6、9、12月判定，年度指标于12月判定，其余月份不判定' },
    ],
    definitions: [
      {
        term: '序时进度',
        text: '按时间均衡推进、到本月末应完成的年度目标比例：第N月末为N/12；指标另有分月计划的，按计划执行。存量类指标为自上年基数起计划增量的相应比例。',
      },
      {
        term: '完成率',
        text: '累计类为本期值除以年度目标；存量类为已实现增量除以计划增量。增速、比率、排名类不计完成率（表中为“—”）。',
      },
      {
        term: '差距',
        text: '完成进度与序时进度之差，以百分点表示，正数为超前、负数为落后；越低越好的指标已按方向换算。排名类以位次计，节点类以节点个数计。',
      },
      {
        term: '增速、比率类指标',
        text: '以年初至本月的增速或占比与本月应达值（年度目标；季节性指标按分月应达值）比较，差距为两者之差（百分点）。',
      },
      { term: '排名类指标', text: '以排名位次与目标位次比较，位次越小越好。' },
      {
        term: '重点项目节点',
        text: '按计划月份应达到的建设阶段与已达到的最远阶段比较；已达到的节点不因后续月份未报送而取消。',
      },
      {
        term: '单项成果、定性任务',
        text: '评选荣誉、复审验收等一次性事项，按到期月份判定：未到期、已完成或逾期未完成。',
      },
      {
        term: '目标依据',
        text: `未标注的目标为报告明确；标“${TARGET_BASIS_LABEL.derived.mark}”的${TARGET_BASIS_LABEL.derived.text}（算式见下表）；标“${TARGET_BASIS_LABEL.assumed.mark}”的${TARGET_BASIS_LABEL.assumed.text}。`,
      },
    ],
    targetBases: catalog.indicators
      .filter((i) => i.targetBasis !== 'stated')
      .map((i) => ({
        code: i.code,
        name: i.name,
        basis: i.targetBasis,
        mark: TARGET_BASIS_LABEL[i.targetBasis].mark,
        text:
          i.targetBasis === 'derived' ? (i.arithmetic ?? '') : (i.note ?? TARGET_BASIS_LABEL.assumed.text),
      })),
  };
}
