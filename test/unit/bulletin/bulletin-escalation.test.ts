import { describe, expect, it } from 'vitest';
import {
  behindRun,
  escalationFor,
  monthsText,
} from '../../../functions/core/bulletin/bulletin-escalation.ts';
import type {
  Indicator,
  IndicatorValue,
  MilestoneIndicator,
  StatusBands,
} from '../../../functions/core/catalog/catalog-schema.ts';
import { assessIndicator } from '../../../functions/core/progress/progress-engine.ts';
import { honourIndicator, numericIndicatorData } from '../../support/sample-catalog.ts';

const bands: StatusBands = { aheadPoints: 5, seriouslyBehindPoints: 10 };

/** The indicator judged at the end of every month from January, as the builder does. */
function history(indicator: Indicator, values: readonly (IndicatorValue | undefined)[]) {
  return values.map((value, i) =>
    assessIndicator(indicator, { month: i + 1, value, earlier: values.slice(0, i) }, bands),
  );
}

const stores = numericIndicatorData('ECO-FIRST-STORES', 'swj', {
  name: '引进首店品牌',
  unit: '个',
  target: 120,
  coDepts: [],
  allowNegative: false,
}) as Indicator;

const centre: MilestoneIndicator = {
  code: 'WEL-CARE-CENTER',
  name: '综合养老服务中心',
  section: '民生福祉',
  dept: 'mzj',
  coDepts: [],
  source: '测试',
  targetBasis: 'stated',
  kind: 'milestone',
  unit: '阶段',
  direction: 'higher',
  stages: [
    { stage: '前期手续完成', plannedMonth: 5 },
    { stage: '开工建设', plannedMonth: 9 },
  ],
};

describe('重点督办事项 (escalation)', () => {
  it('escalates an item 严重滞后 in two consecutive judged months, naming the months behind', () => {
    // Prepare: on schedule in March, behind in April, seriously behind in May and June
    const values = [10, 20, 30, 36, 35, 40];

    // Act
    const item = escalationFor({
      indicator: stores,
      deptShortName: '商务局',
      history: history(stores, values),
    });

    // Assess
    expect(item).toMatchObject({
      code: 'ECO-FIRST-STORES',
      name: '引进首店品牌',
      deptShortName: '商务局',
      reason: 'serious-twice',
      reasonText: '连续2期严重滞后',
      behindMonths: [4, 5, 6],
      behindText: '4月—6月（3期）',
      status: '严重滞后',
    });
  });

  it('does not escalate one 严重滞后 month, and a missed report neither clears nor counts', () => {
    // Prepare
    const once = [10, 20, 30, 40, 35, 60];
    const missed = [10, 20, 30, 25, undefined, 35];

    // Act
    const one = escalationFor({ indicator: stores, deptShortName: '商务局', history: history(stores, once) });
    const kept = escalationFor({
      indicator: stores,
      deptShortName: '商务局',
      history: history(stores, missed),
    });

    // Assess
    expect(one).toBeUndefined();
    expect(kept).toMatchObject({
      reason: 'serious-twice',
      behindMonths: [4, 6],
      behindText: '4月、6月（2期）',
    });
  });

  it('escalates a milestone with a stage overdue, from the stage’s planned month', () => {
    // Prepare: 前期手续完成 reached in May; 开工建设 planned for September, not reached by November
    const values = [
      '未开工',
      '未开工',
      '未开工',
      '未开工',
      '前期手续完成',
      undefined,
      ...Array(5).fill('前期手续完成'),
    ];

    // Act
    const june = escalationFor({
      indicator: centre,
      deptShortName: '民政局',
      history: history(centre, values.slice(0, 6)),
    });
    const november = escalationFor({
      indicator: centre,
      deptShortName: '民政局',
      history: history(centre, values),
    });

    // Assess
    expect(june).toBeUndefined();
    expect(november).toMatchObject({
      reason: 'milestone-overdue',
      reasonText: '开工建设（计划9月）逾期未达',
      behindMonths: [9, 10, 11],
      behindText: '9月—11月（3期）',
    });
  });

  it('escalates a deadline that is 逾期未完成', () => {
    // Prepare
    const honour = honourIndicator({ code: 'DYN-GAZELLE', name: '省级“瞪羚”企业', dueMonth: 10 });

    // Act
    const item = escalationFor({
      indicator: honour,
      deptShortName: '工信局',
      history: history(honour, Array(11).fill(0)),
    });

    // Assess
    expect(item).toMatchObject({
      reason: 'overdue',
      reasonText: '10月底到期，逾期未完成',
      behindText: '10月—11月（2期）',
    });
  });
});

describe('months behind', () => {
  it('counts back to the last month on schedule, stepping over months not judged', () => {
    // Act / Assess
    expect(behindRun(history(stores, [10, 20, 30, 36, undefined, 40]))).toEqual([4, 6]);
    expect(behindRun(history(stores, [10, 20, 30]))).toEqual([]);
    expect(monthsText([3])).toBe('3月（1期）');
  });
});
