import { describe, expect, it } from 'vitest';
import { buildBulletinModel } from '../../../functions/core/bulletin/bulletin-builder.ts';
import { allRows, departmentSlice } from '../../../functions/core/bulletin/bulletin-model.ts';
import { inputsHashFor, submissionVersionsByPeriod } from '../../../functions/core/bulletin/inputs-hash.ts';
import { type CatalogVersion, catalogSchema } from '../../../functions/core/catalog/catalog-schema.ts';
import type { Submission, SubmissionValue } from '../../../functions/core/submission.ts';
import {
  CORRECTED_CODE,
  LATE_DEPT,
  seedCatalog,
  seedCatalogVersion,
  seedCorrection,
  seedSubmissions,
} from '../../fixtures/bulletin/seed-inputs.ts';
import {
  catalogData,
  departmentsData,
  gdpIndicatorData,
  milestoneIndicatorData,
  numericIndicatorData,
} from '../../support/sample-catalog.ts';

const catalog = catalogSchema.parse(
  catalogData({
    year: 2024,
    district: '解放区',
    title: '解放区2024年政府工作报告目标任务',
    sourceDocument: '政府工作报告',
    departments: departmentsData(['fgw', 'zjj']),
    indicators: [
      gdpIndicatorData({ source: 's', target: 200 }),
      numericIndicatorData('ECO-FAI', 'fgw', {
        name: '固定资产投资增速',
        source: 's',
        kind: 'rate',
        unit: '%',
        target: 6,
        reportedResult: 5.8,
      }),
      numericIndicatorData('CITY-ROADS', 'zjj', {
        name: '街巷道路硬化',
        section: '城市建设',
        source: 's',
        targetBasis: 'stated',
        unit: '条',
        target: 24,
        reportedResult: 23,
      }),
      milestoneIndicatorData('CITY-BRIDGE', 'zjj', {
        name: '大沙河桥',
        source: 's',
        targetBasis: 'stated',
        stages: [
          { stage: '开工', plannedMonth: 2 },
          { stage: '建成通车', plannedMonth: 10 },
        ],
      }),
    ],
  }),
);

const version: CatalogVersion = {
  year: 2024,
  version: 3,
  contentHash: 'h'.repeat(64),
  catalog,
  loadedAt: '2024-01-01T00:00:00Z',
};

function sub(
  dept: string,
  period: string,
  v: number,
  values: SubmissionValue[],
  receivedAt = `${period}-28T00:00:00.000Z`,
): Submission {
  return {
    dept,
    period,
    version: v,
    catalogYear: 2024,
    catalogVersion: 3,
    values,
    sourceSha256: `${dept}${period}${v}`,
    rawKey: 'raw/x.xlsx',
    sourceKey: 'incoming/x',
    uploader: 'u',
    receivedAt,
    status: 'accepted',
  };
}

const march = [
  sub('fgw', '2024-01', 1, [
    { code: 'ECO-GDP', value: 16 },
    { code: 'ECO-FAI', value: 4 },
  ]),
  sub('fgw', '2024-02', 1, [
    { code: 'ECO-GDP', value: 33 },
    { code: 'ECO-FAI', value: 5 },
  ]),
  sub('fgw', '2024-03', 1, [
    { code: 'ECO-GDP', value: 51 },
    { code: 'ECO-FAI', value: 6.5, note: '+ 新开工项目集中入统' },
  ]),
  sub('zjj', '2024-01', 1, [
    { code: 'CITY-ROADS', value: 1 },
    { code: 'CITY-BRIDGE', value: '未开工' },
  ]),
  sub('zjj', '2024-02', 1, [
    { code: 'CITY-ROADS', value: 2 },
    { code: 'CITY-BRIDGE', value: '开工' },
  ]),
];

describe('buildBulletinModel on a fixed small catalog (March 2024)', () => {
  // Prepare
  const model = buildBulletinModel({
    catalog: version,
    period: '2024-03',
    version: 1,
    now: new Date('2024-04-05T00:30:00Z'),
    generatorVersion: 'duban test',
    submissions: march,
  });
  const row = (code: string) => allRows(model).find((r) => r.code === code);

  it('computes value, completion, 序时进度, gap and status per indicator', () => {
    // Assess
    expect(row('ECO-GDP')).toMatchObject({
      value: 51,
      valueText: '51亿元',
      targetText: '200亿元',
      completionRate: 0.255,
      completionRateText: '25.5%',
      expectedShare: 0.25,
      expectedShareText: '25.0%',
      gapText: '+0.5个百分点',
      status: '达进度',
      deptShortName: '发改委',
    });
    expect(row('ECO-FAI')).toMatchObject({
      value: 6.5,
      status: '达进度',
      gapText: '+0.5个百分点',
      note: '+ 新开工项目集中入统',
    });
    expect(row('CITY-ROADS')).toMatchObject({
      value: null,
      valueText: '未报送',
      status: '未报送',
      submissionVersion: null,
    });
  });

  it('carries the month-by-month trend and the schedule, null where no value', () => {
    // Assess
    expect(row('ECO-GDP')?.trend).toEqual([16, 33, 51, null, null, null, null, null, null, null, null, null]);
    expect(row('ECO-GDP')?.expectedTrend.slice(0, 4)).toEqual([200 / 12, 200 / 6, 50, null]);
    expect(row('CITY-ROADS')?.trend.slice(0, 3)).toEqual([1, 2, null]);
    expect(row('CITY-BRIDGE')?.trend.slice(0, 3)).toEqual([0, 1, null]);
  });

  it('rolls up sections and departments, ranks them and lists who did not report', () => {
    // Assess
    expect(model.sections.map((s) => [s.name, s.total, s.counts.达进度, s.counts.未报送])).toEqual([
      ['经济结构', 2, 2, 0],
      ['城市建设', 2, 0, 2],
    ]);
    expect(model.departments.map((d) => [d.id, d.rank, d.reported, d.onTrackShareText])).toEqual([
      ['fgw', 1, true, '100.0%'],
      ['zjj', 2, false, '0.0%'],
    ]);
    expect(model.notReported).toEqual([
      {
        id: 'zjj',
        name: '区住房和城乡建设局',
        shortName: '住建局',
        indicatorCodes: ['CITY-ROADS', 'CITY-BRIDGE'],
        indicatorNames: expect.any(Array),
      },
    ]);
    expect(model.milestones[0]).toMatchObject({
      code: 'CITY-BRIDGE',
      currentStage: null,
      expectedStage: '开工',
      status: '未报送',
    });
  });

  it('writes the headline sentences in Chinese', () => {
    // Assess
    expect(model.headline[0]).toBe('全区4项指标中，本期判定4项：2项达到序时进度（达进度2项），未报送2项。');
    expect(model.headline).toContain('1个责任单位未报送：住建局（2项指标）。');
    expect(model.title).toBe('解放区2024年政府工作报告目标任务进度通报（2024年3月）');
    expect(model.generatedDateLabel).toBe('2024年4月5日');
    expect(model.corrections).toEqual({
      sinceVersion: null,
      items: [],
      summary: '自上期通报以来无数据更正。',
    });
  });

  it('states the bands from the catalog in the appendix', () => {
    // Assess
    expect(model.appendix.bands).toMatchObject({ aheadPoints: 5, seriouslyBehindPoints: 10 });
    expect(model.appendix.statusRules.find((r) => r.status === '未报送')?.rule).toContain('次月3日');
    expect(model.appendix.definitions.map((d) => d.term)).toContain('序时进度');
  });

  it('records its inputs and hashes them like the use case does', () => {
    // Assess
    expect(model.inputs).toEqual({
      catalogYear: 2024,
      catalogVersion: 3,
      submissionVersions: { fgw: 1 },
      inputsHash: inputsHashFor(version, '2024-03', march),
    });
  });
});

describe('inputs hash', () => {
  it('ignores order, changes with a correction of an earlier month and ignores later months', () => {
    // Prepare
    const base = inputsHashFor(version, '2024-03', march);
    const corrected = [...march, sub('fgw', '2024-01', 2, [{ code: 'ECO-GDP', value: 17 }])];
    const later = [...march, sub('fgw', '2024-04', 1, [{ code: 'ECO-GDP', value: 70 }])];

    // Act
    const hashes = [
      inputsHashFor(version, '2024-03', [...march].reverse()),
      inputsHashFor(version, '2024-03', corrected),
      inputsHashFor(version, '2024-03', later),
      inputsHashFor({ ...version, version: 4 }, '2024-03', march),
    ];

    // Assess
    expect(hashes[0]).toBe(base);
    expect(hashes[1]).not.toBe(base);
    expect(hashes[2]).toBe(base);
    expect(hashes[3]).not.toBe(base);
  });
});

describe('corrections', () => {
  it('a re-issue lists what changed since the previous version and marks the rows', () => {
    // Prepare
    const previous = { version: 1, submissionVersions: submissionVersionsByPeriod(march) };
    const fix = sub(
      'fgw',
      '2024-03',
      2,
      [
        { code: 'ECO-GDP', value: 49.5 },
        { code: 'ECO-FAI', value: 6.5 },
      ],
      '2024-04-06T02:00:00.000Z',
    );
    const late = sub('zjj', '2024-03', 1, [
      { code: 'CITY-ROADS', value: 5 },
      { code: 'CITY-BRIDGE', value: '开工' },
    ]);

    // Act
    const model = buildBulletinModel({
      catalog: version,
      period: '2024-03',
      version: 2,
      now: new Date('2024-04-06T03:00:00Z'),
      generatorVersion: 'duban test',
      submissions: [...march, fix, late],
      previous,
    });

    // Assess
    expect(model.corrections.sinceVersion).toBe(1);
    expect(
      model.corrections.items.map((c) => [
        c.dept,
        c.code,
        c.beforeText,
        c.afterText,
        c.fromVersion,
        c.toVersion,
      ]),
    ).toEqual([
      ['fgw', 'ECO-GDP', '51亿元', '49.5亿元', 1, 2],
      ['zjj', 'CITY-BRIDGE', '—', '开工', null, 1],
      ['zjj', 'CITY-ROADS', '—', '5条', null, 1],
    ]);
    expect(model.corrections.summary).toBe(
      '较第1版，更正3项数据：3月地区生产总值（发改委）由51亿元改为49.5亿元；3月大沙河桥（住建局）补报为开工；3月街巷道路硬化（住建局）补报为5条。',
    );
    expect(
      allRows(model)
        .filter((r) => r.correctedSinceLastVersion)
        .map((r) => r.code)
        .sort(),
    ).toEqual(['CITY-BRIDGE', 'CITY-ROADS', 'ECO-GDP']);
    expect(model.headline.at(-1)).toBe(model.corrections.summary);
  });

  it('a first issue lists corrections of earlier months received after the last bulletin', () => {
    // Prepare
    const janFix = sub(
      'fgw',
      '2024-01',
      2,
      [
        { code: 'ECO-GDP', value: 15 },
        { code: 'ECO-FAI', value: 4 },
      ],
      '2024-03-10T00:00:00.000Z',
    );

    // Act
    const model = buildBulletinModel({
      catalog: version,
      period: '2024-03',
      version: 1,
      now: new Date('2024-04-05T00:00:00Z'),
      generatorVersion: 'duban test',
      submissions: [...march, janFix],
      lastIssuedAt: '2024-03-05T00:00:00.000Z',
    });

    // Assess
    expect(model.corrections.items.map((c) => [c.period, c.code, c.before, c.after])).toEqual([
      ['2024-01', 'ECO-GDP', 16, 15],
    ]);
    expect(allRows(model).find((r) => r.code === 'ECO-GDP')?.trend[0]).toBe(15);
  });
});

describe('buildBulletinModel on the seed catalog', () => {
  it('covers every indicator and department of the report and slices per department', () => {
    // Prepare
    const seed = seedCatalog();
    const subs = seedSubmissions(seed, 6);

    // Act
    const model = buildBulletinModel({
      catalog: seedCatalogVersion(seed),
      period: '2023-06',
      version: 2,
      now: new Date('2023-07-05T00:00:00Z'),
      generatorVersion: 'duban test',
      submissions: [...subs, seedCorrection(seed, subs)],
      previous: { version: 1, submissionVersions: submissionVersionsByPeriod(subs) },
    });
    const slice = departmentSlice(model, 'wlj');

    // Assess
    expect(model.totalIndicators).toBe(seed.indicators.length);
    expect(Object.values(model.statusCounts).reduce((a, b) => a + b, 0)).toBe(seed.indicators.length);
    expect(model.notReported.map((d) => d.id)).toEqual([LATE_DEPT]);
    expect(model.corrections.items.map((c) => c.code)).toEqual([CORRECTED_CODE]);
    expect(model.headline[0]).toMatch(
      new RegExp(`^全区${seed.indicators.length}项指标中，本期判定\\d+项：\\d+项达到序时进度`),
    );
    expect(slice.totalIndicators).toBe(seed.indicators.filter((i) => i.dept === 'wlj').length);
    expect(allRows(slice).every((r) => r.dept === 'wlj')).toBe(true);
    expect(slice.departments.map((d) => d.id)).toEqual(['wlj']);
  });

  it('prints the level to hold as 序时进度 of a stock whose target is its baseline, not a share', () => {
    // Prepare: 18 文旅项目 on the year's list, all to stay on plan (baseline = target = 18)
    const seed = seedCatalog();

    // Act
    const model = buildBulletinModel({
      catalog: seedCatalogVersion(seed),
      period: '2023-06',
      version: 1,
      now: new Date('2023-07-05T00:00:00Z'),
      generatorVersion: 'duban test',
      submissions: seedSubmissions(seed, 6),
    });
    const held = allRows(model).find((r) => r.code === 'ECO-CULTURE-TOURISM-PROJECTS');

    // Assess
    expect(held).toMatchObject({ kind: 'stock', expectedShare: null, expectedValue: 18 });
    expect(held?.expectedShareText).toBe('18个');
    expect(held?.completionRateText).toBe('—');
  });

  it('rejects a period outside the catalog year', () => {
    // Act
    const build = () =>
      buildBulletinModel({
        catalog: version,
        period: '2023-12',
        version: 1,
        now: new Date(),
        generatorVersion: 'x',
        submissions: [],
      });

    // Assess
    expect(build).toThrow(/outside the catalog year 2024/);
  });
});

describe('a bulletin a leader can defend (#12)', () => {
  // Prepare: the March bulletin, issued by the schedule on 5 April, rebuilt much later
  const model = buildBulletinModel({
    catalog: version,
    period: '2024-03',
    version: 1,
    now: new Date('2026-11-29T14:35:00Z'),
    issuedAt: new Date('2024-04-05T00:00:00Z'),
    generatorVersion: 'duban test',
    submissions: march,
  });
  const row = (code: string) => allRows(model).find((r) => r.code === code);

  it('keeps a milestone stage reached in February when the department misses March (problem 2)', () => {
    // Act
    const bridge = model.milestones.find((m) => m.code === 'CITY-BRIDGE');

    // Assess
    expect(bridge).toMatchObject({ status: '未报送', currentStage: null, reachedStage: '开工' });
    expect(bridge?.stages.map((s) => [s.stage, s.reached])).toEqual([
      ['开工', true],
      ['建成通车', false],
    ]);
  });

  it('prints no 完成率 for a rate, the rate to reach as 序时进度 and the gap in points (problem 5)', () => {
    // Assess
    expect(row('ECO-FAI')).toMatchObject({
      completionRate: null,
      completionRateText: '—',
      expectedShareText: '6%',
      expectedValue: 6,
      gapText: '+0.5个百分点',
      gapSteps: null,
    });
  });

  it('marks where each target comes from and counts judgements on assumed targets (problem 7)', () => {
    // Assess
    expect(row('ECO-GDP')?.targetBasis).toBe('assumed');
    expect(row('CITY-ROADS')?.targetBasis).toBe('stated');
    expect(model.assumedJudgements).toBe(2);
    expect(model.appendix.targetBases.map((t) => [t.name, t.mark])).toEqual([
      ['地区生产总值', '假'],
      ['固定资产投资增速', '假'],
    ]);
    expect(model.headline).toContain(
      '本期判定的4项中，2项所依据的年度目标为假设目标（报告未明确），见各表“假”字标注。',
    );
  });

  it('names indicators and departments where people read, never codes (problem 8)', () => {
    // Assess
    expect(model.notReported[0]?.indicatorNames).toEqual(['街巷道路硬化', '大沙河桥']);
    expect(model.headline.join('')).not.toMatch(/[A-Z]{3,}-[A-Z]/);
  });

  it('dates the bulletin by the run, in Beijing time, with its 期号 (problem 9)', () => {
    // Assess
    expect(model).toMatchObject({
      issueDateLabel: '2024年4月5日',
      issueLabel: '2024年第3期',
      issueNumber: 3,
      generatedAt: '2026-11-29T14:35:00.000Z',
    });
    expect(
      buildBulletinModel({
        catalog: version,
        period: '2024-03',
        version: 2,
        now: new Date('2024-04-20T08:00:00Z'),
        generatorVersion: 'duban test',
        submissions: march,
      }),
    ).toMatchObject({ issueLabel: '2024年第3期（更正版）', issueDateLabel: '2024年4月20日' });
  });

  it('ranks by the printed share and says how each place moved since last month (problem 1)', () => {
    // Assess: in February both reported and fgw was behind on its rate; in March zjj reported nothing
    expect(model.departments.map((d) => [d.shortName, d.onTrackShareText, d.rank, d.rankChangeText])).toEqual(
      [
        ['发改委', '100.0%', 1, '↑1'],
        ['住建局', '0.0%', 2, '↓1'],
      ],
    );
  });
});

describe('reporting against the due date', () => {
  const seed = seedCatalog();
  const june = seedSubmissions(seed, 6);
  const due = {
    day: '2023-07-04',
    deadline: new Date('2023-07-04T16:00:00Z'),
    rule: '次月4日（遇法定节假日或休息日顺延至下一个工作日）',
  };
  const reminders = { [LATE_DEPT]: ['2023-07-03T01:00:00.000Z', '2023-07-04T01:00:00.000Z'] };

  function build(submissions: readonly Submission[], now = new Date('2023-07-05T00:00:00Z')) {
    return buildBulletinModel({
      catalog: seedCatalogVersion(seed),
      period: '2023-06',
      version: 1,
      now,
      generatorVersion: 'test',
      submissions,
      reporting: { due, remindedAt: reminders },
    });
  }

  it('marks a first version after the due day 逾期报送 with the day it arrived, and counts it on page 1', () => {
    // Prepare: 发改委's June v1 arrives on 5 July (Beijing), after the due day 4 July.
    const submissions = june.map((s) =>
      s.dept === 'fgw' && s.period === '2023-06' ? { ...s, receivedAt: '2023-07-04T16:30:00.000Z' } : s,
    );

    // Act
    const model = build(submissions);

    // Assess
    const fgw = model.departments.find((d) => d.id === 'fgw');
    expect(fgw).toMatchObject({ late: true, reportingText: '逾期报送（7月5日报送）' });
    expect(model.reporting).toMatchObject({ late: 1, notReported: 1, lateNames: ['发改委'], reminded: 1 });
    expect(model.reporting?.summary).toBe(
      `本期报送截止日为2023年7月4日：按时报送${model.departments.length - 2}个单位，逾期报送1个，未报送1个；共催报1个单位。`,
    );
    expect(model.headline).toContain('1个责任单位逾期报送：发改委。');
  });

  it('judges lateness on the first version: a correction after the due day is not late', () => {
    // Prepare: 发改委 reported on time (3 July) and corrected on 10 July.
    const v1 = june.find((s) => s.dept === 'fgw' && s.period === '2023-06');
    if (!v1) throw new Error('seed has no 发改委 June report');
    const v2 = { ...v1, version: 2, receivedAt: '2023-07-10T02:00:00.000Z' };

    // Act
    const model = build([...june, v2], new Date('2023-07-11T00:00:00Z'));

    // Assess
    expect(model.departments.find((d) => d.id === 'fgw')).toMatchObject({
      late: false,
      firstReceivedAt: v1.receivedAt,
      reportingText: '已报送（第2版）',
    });
    expect(model.reporting?.late).toBe(0);
  });

  it('lists the reminder dates of a department that never reported, in the table and the headline', () => {
    // Act
    const model = build(june);

    // Assess
    const nyj = model.departments.find((d) => d.id === LATE_DEPT);
    expect(nyj).toMatchObject({
      reported: false,
      late: false,
      reportingText: '未报送（已催报：7月3日、7月4日）',
    });
    expect(model.notReported).toEqual([
      expect.objectContaining({ id: LATE_DEPT, remindedText: '7月3日、7月4日' }),
    ]);
    expect(model.headline.join('')).toMatch(/农业农村局（\d+项指标，已催报2次）/);
    expect(model.appendix.statusRules.find((r) => r.status === '未报送')?.rule).toContain(
      '报送截止日（按“次月4日（遇法定节假日或休息日顺延至下一个工作日）”确定）',
    );
  });

  it('marks a department that was reminded and then reported on time with its reminder dates', () => {
    // Prepare: 农业农村局 reports on the due day after the two reminders.
    const nyj = seedSubmissions(seed, 5).find((s) => s.dept === LATE_DEPT && s.period === '2023-05');
    if (!nyj) throw new Error('seed has no 农业农村局 May report');
    const late = { ...nyj, period: '2023-06', receivedAt: '2023-07-04T08:00:00.000Z' };

    // Act
    const model = build([...june, late]);

    // Assess
    expect(model.departments.find((d) => d.id === LATE_DEPT)).toMatchObject({
      late: false,
      reportingText: '已报送（已催报：7月3日、7月4日）',
    });
    expect(model.reporting).toMatchObject({ late: 0, notReported: 0 });
  });

  it('builds no reporting section without a due date (older callers)', () => {
    // Act
    const model = buildBulletinModel({
      catalog: seedCatalogVersion(seed),
      period: '2023-06',
      version: 1,
      now: new Date('2023-07-05T00:00:00Z'),
      generatorVersion: 'test',
      submissions: june,
    });

    // Assess
    expect(model.reporting).toBeUndefined();
    expect(model.departments.every((d) => d.late === undefined)).toBe(true);
  });
});
