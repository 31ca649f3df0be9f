import { describe, expect, it } from 'vitest';
import { findInReport } from '../../../functions/core/catalog-draft/draft-report.ts';

/** Findings of a one-part review of 2023 holding `body`. */
function found(body: string) {
  return findInReport(`一、2023年工作回顾\n${body}`, 2023).findings;
}

const brief = (f: ReturnType<typeof found>[number]) => ({
  name: f.name,
  value: f.value,
  unit: f.unit,
  kind: f.proposedKind,
});

describe('figures in a sentence', () => {
  it('finds amounts with their names, units and source offsets', () => {
    // Act
    const fs = found('全区地区生产总值完成177.3亿元;完成造林绿化500亩、封山育林1000亩。');

    // Assess
    expect(fs.map(brief)).toEqual([
      { name: '地区生产总值', value: 177.3, unit: '亿元', kind: 'cumulative' },
      { name: '造林绿化', value: 500, unit: '亩', kind: 'cumulative' },
      { name: '封山育林', value: 1000, unit: '亩', kind: 'cumulative' },
    ]);
    const text = `一、2023年工作回顾\n全区地区生产总值完成177.3亿元;`;
    expect(fs[0]?.offset).toBe(text.indexOf('177.3'));
    expect(fs[0]?.sentence).toBe('全区地区生产总值完成177.3亿元');
  });

  it('never takes years, dates, session numbers, quoted names, codes or phone-like numbers for figures', () => {
    // Act
    const fs = found(
      '——2024年2月21日在区十五届人大四次会议上,召开“两会”,学习党的二十大精神,第二批主题教育,' +
        '滚动实施“三个一批”项目,对6个方面开展整改,推进5G基站建设,4A级景区,PM2.5浓度,' +
        '拨打12345热线或0391-3568888,实行“四张清单”制度,连续81个月平稳,政务服务2.0新模式。',
    );

    // Assess
    expect(fs.map(brief)).toEqual([]);
  });

  it('reads counts in Chinese numerals but not 一个 or 一批', () => {
    // Act
    const fs = found('新建三所学校,建成十八个口袋公园,完成两项改革,引进一批企业,打造一个平台。');

    // Assess
    expect(fs.map((f) => [f.value, f.unit])).toEqual([
      [3, '所'],
      [18, '个'],
      [2, '项'],
    ]);
    expect(fs[0]?.name).toBe('新建学校');
  });

  it('signs growth rates, names them after their subject, and marks lower-is-better subjects', () => {
    // Act
    const fs = found(
      '市场主体总量达到31769户,同比增长15.19%;万元GDP水耗下降12%、电耗下降7%;地区生产总值下降4.3%。',
    );

    // Assess
    expect(fs.map((f) => [f.name, f.value, f.unit, f.direction, f.proposedKind])).toEqual([
      ['市场主体总量', 31769, '户', 'higher', 'stock'],
      ['市场主体总量增速', 15.19, '%', 'higher', 'rate'],
      ['万元GDP水耗增速', -12, '%', 'lower', 'rate'],
      ['电耗增速', -7, '%', 'lower', 'rate'],
      ['地区生产总值增速', -4.3, '%', 'higher', 'rate'],
    ]);
  });

  it('derives the plan from a completion ratio and writes the arithmetic', () => {
    // Act
    const fs = found('21个省市重点项目完成投资104.5亿元,占年度投资计划的145.5%。');

    // Assess
    expect(fs.map(brief)).toEqual([
      { name: '省市重点项目', value: 21, unit: '个', kind: 'cumulative' },
      { name: '省市重点项目完成投资', value: 104.5, unit: '亿元', kind: 'cumulative' },
    ]);
    expect(fs[1]?.derivedTarget).toEqual({ value: 71.82, arithmetic: '104.5 ÷ 145.5% = 71.82' });
  });

  it('reads ranks with their scope, including 五城区第一, 前三 and 第一方阵', () => {
    // Act
    const fs = found(
      '社会消费品零售总额增速全市第五;规上工业增加值增速五城区第一;专利申请量排名全省前三;营商环境评价排名进入全省第一方阵。',
    );

    // Assess
    expect(fs.map((f) => [f.name, f.value, f.qualifier, f.proposedKind])).toEqual([
      ['社会消费品零售总额增速全市位次', 5, undefined, 'rank'],
      ['规上工业增加值增速五城区位次', 1, undefined, 'rank'],
      ['专利申请量全省位次', 3, '前', 'rank'],
      ['营商环境评价进入全省第一方阵', 1, undefined, 'qualitative'],
    ]);
  });

  it('keeps approximations as written and drops restatements, changes and comparisons', () => {
    // Act
    const fs = found(
      '旅游综合收入突破2亿元;化解信访积案200余起;全年地区生产总值完成602.5亿元,首次突破600亿元大关,' +
        '同比增长5.5%,高于全国增速2.5个百分点;地均生产总值5.4亿元/平方公里,同比提高0.5亿元/平方公里。',
    );

    // Assess
    expect(fs.map((f) => [f.name, f.value, f.unit, f.qualifier])).toEqual([
      ['旅游综合收入', 2, '亿元', '突破'],
      ['化解信访积案', 200, '起', '余'],
      ['地区生产总值', 602.5, '亿元', undefined],
      ['地区生产总值增速', 5.5, '%', undefined],
      ['地均生产总值', 5.4, '亿元/平方公里', undefined],
    ]);
    expect(fs[1]?.direction).toBe('higher');
  });

  it('reads full-width digits and punctuation but quotes the sentence as the report writes it', () => {
    // Act
    const fs = found('全年优良天数占比６４．８％，三级河长巡河率１００％。');

    // Assess
    expect(fs.map((f) => [f.name, f.value, f.unit])).toEqual([
      ['优良天数占比', 64.8, '%'],
      ['三级河长巡河率', 100, '%'],
    ]);
    expect(fs[0]?.sentence).toBe('全年优良天数占比６４．８％，三级河长巡河率１００％');
  });
});

describe('lists with 分别 (respectively)', () => {
  it('gives the k-th figure to the k-th subject, with the verb and sign they share', () => {
    // Act
    const fs = found(
      '万元GDP水耗、电耗分别下降9.7%、5%,固定资产投资、社会消费品零售总额分别增长12%和8.5%,新增就业、城镇登记失业率分别为1.2万人、3.5%。',
    );

    // Assess
    expect(fs.map((f) => [f.name, f.value, f.unit])).toEqual([
      ['万元GDP水耗增速', -9.7, '%'],
      ['电耗增速', -5, '%'],
      ['固定资产投资增速', 12, '%'],
      ['社会消费品零售总额增速', 8.5, '%'],
      ['新增就业', 1.2, '万人'],
      ['城镇登记失业率', 3.5, '%'],
    ]);
  });

  it('leaves a list alone when the counts do not agree', () => {
    // Act
    const fs = found('水耗、电耗、气耗分别下降9.7%、5%。');

    // Assess
    expect(fs.map((f) => f.name)).not.toContain('电耗增速');
  });
});

describe('tasks in a sentence', () => {
  it('makes one milestone per named project, with the shared 项目 suffix', () => {
    // Act
    const fs = found('虎石新材料、手拉手汽车智慧产业园项目开工建设,焦武路大沙河桥建成通车。');

    // Assess
    expect(fs.map((f) => [f.name, f.stage, f.proposedKind])).toEqual([
      ['虎石新材料项目', '开工建设', 'milestone'],
      ['手拉手汽车智慧产业园项目', '开工建设', 'milestone'],
      ['焦武路大沙河桥', '建成通车', 'milestone'],
    ]);
  });

  it('counts named honours in the unit of their category as one-off results, and keeps the names', () => {
    // Act
    const fs = found(
      '三泰机械、盛世高科被评为省级“专精特新”中小企业,小蜗牛、大杨树商业街分别荣获省级文化旅游休闲街区、夜间休闲消费街区荣誉,数字金融超市被列入全省经济体制改革“一县区一特色”项目清单,顺利通过国家卫生城市届满复审,连续17年保持“全国科普示范区”称号。',
    );

    // Assess
    expect(fs.map((f) => [f.value, f.unit, f.items, f.proposedKind])).toEqual([
      [2, '家', ['三泰机械', '盛世高科'], 'deadline'],
      [2, '条', ['小蜗牛', '大杨树商业街'], 'deadline'],
      [1, '项', ['数字金融超市'], 'deadline'],
      [1, '项', [], 'deadline'],
      [undefined, undefined, [], 'qualitative'],
    ]);
    expect(fs[3]?.name).toBe('通过国家卫生城市届满复审');
    expect(fs[4]?.name).toBe('保持“全国科普示范区”称号');
  });

  it('counts the events of one clause in 场 as one result', () => {
    // Act
    const fs = found(
      '成功举办国际软件质量峰会、数字经济产业合作(北京)交流会、第二届空间信息产学研交流大会。',
    );

    // Assess
    expect(fs.map((f) => [f.proposedKind, f.value, f.unit, f.items?.length])).toEqual([
      ['deadline', 3, '场', 3],
    ]);
  });

  it('makes one project of each item of a completed list, sharing its tail', () => {
    // Act
    const fs = found('完成幸小、环一、二十中教学楼改扩建工程。');

    // Assess
    expect(fs.map((f) => [f.name, f.proposedKind, f.stage])).toEqual([
      ['幸小教学楼改扩建工程', 'milestone', '完成'],
      ['环一教学楼改扩建工程', 'milestone', '完成'],
      ['二十中教学楼改扩建工程', 'milestone', '完成'],
    ]);
  });

  it('drafts reduction duties as lower-is-better amounts without a figure, and 足额发放 as a 100% rate', () => {
    // Act
    const fs = found('持续压减一般性支出和“三公”经费支出;全区低保、优抚对象生活补助足额发放。');

    // Assess
    expect(fs.map((f) => [f.name, f.proposedKind, f.value, f.unit, f.direction])).toEqual([
      ['一般性支出', 'cumulative', undefined, '万元', 'lower'],
      ['“三公”经费支出', 'cumulative', undefined, '万元', 'lower'],
      ['低保对象生活补助足额发放率', 'rate', 100, '%', 'higher'],
      ['优抚对象生活补助足额发放率', 'rate', 100, '%', 'higher'],
    ]);
    expect(fs[2]?.derivedTarget).toEqual({ value: 100, arithmetic: '足额发放 = 100%' });
  });

  it('finds qualitative tasks: new practices, listed work in progress, targets exceeded', () => {
    // Act
    const fs = found(
      '全市首家推行实施政务服务2.0新模式,不良资产清收、非法集资处置工作扎实推进,超额完成失业保险、工伤保险市定目标,各项工作扎实推进。',
    );

    // Assess
    expect(fs.map((f) => [f.name, f.proposedKind, f.items])).toEqual([
      ['推行实施政务服务2.0新模式', 'qualitative', ['政务服务2.0新模式']],
      ['不良资产清收', 'qualitative', ['不良资产清收']],
      ['非法集资处置', 'qualitative', ['非法集资处置']],
      ['超额完成失业保险市定目标', 'qualitative', ['失业保险']],
      ['超额完成工伤保险市定目标', 'qualitative', ['工伤保险']],
    ]);
  });

  it('leaves praised practices alone', () => {
    // Act
    const fs = found('“多维‘334’”社区治理模式入选中国城乡社区高质量发展典型案例。');

    // Assess
    expect(fs).toEqual([]);
  });
});

describe('parts and years', () => {
  it('takes results from the review of the year and stated targets from its plan, and skips other years', () => {
    // Prepare
    const report =
      '政府工作报告\n——2024年1月16日在区第十九届人民代表大会第四次会议上\n' +
      '一、2023年工作回顾\n全区地区生产总值完成177.3亿元。\n' +
      '二、2024年工作安排\n今年主要预期目标是:地区生产总值增长6%左右,新建学校3所。\n';

    // Act
    const for2024 = findInReport(report, 2024);
    const for2023 = findInReport(report, 2023);

    // Assess
    expect(for2024.reportYear).toBe(2024);
    expect(for2024.findings.map((f) => [f.name, f.value, f.role, f.qualifier])).toEqual([
      ['地区生产总值增速', 6, 'target', '左右'],
      ['新建学校', 3, 'target', undefined],
    ]);
    expect(for2024.skippedOtherYears).toBe(1);
    expect(for2023.findings.map((f) => [f.value, f.role])).toEqual([[177.3, 'result']]);
  });
});

describe('ranges', () => {
  it('keeps the lower bound of a range and the range as written, whichever way the unit is placed', () => {
    // Act
    const fs = findInReport(
      '二、2024年主要目标\n地区生产总值增长6%-7%,固定资产投资增长6.5-7%,新建学校3至5所,PM2.5浓度控制在35-40微克。',
      2024,
    ).findings;

    // Assess
    expect(fs.map((f) => [f.name, f.value, f.unit, f.qualifier, f.role])).toEqual([
      ['地区生产总值增速', 6, '%', '6-7%', 'target'],
      ['固定资产投资增速', 6.5, '%', '6.5-7%', 'target'],
      ['新建学校', 3, '所', '3-5所', 'target'],
    ]);
  });
});
