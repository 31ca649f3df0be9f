import { describe, expect, it } from 'vitest';
import {
  catalogContentHash,
  findIndicator,
  indicatorsForDept,
  parseCatalog,
  parseCatalogYaml,
  sectionsOf,
} from '../../../functions/core/catalog/catalog-parse.ts';
import { DEFAULT_SECTIONS } from '../../../functions/core/catalog/catalog-schema.ts';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import { gdpIndicatorData, milestoneIndicatorData } from '../../support/sample-catalog.ts';

/** A small valid catalog as plain data; tests break one thing at a time. */
function validData(): Record<string, unknown> & { indicators: Record<string, unknown>[] } {
  return {
    year: 2023,
    district: '解放区',
    title: '测试清单',
    sourceDocument: '政府工作报告',
    departments: [
      {
        id: 'fgw',
        name: '解放区发展和改革委员会',
        shortName: '发改委',
        emails: ['fgw@jiefang.example.gov.cn'],
      },
      { id: 'zjj', name: '解放区住房和城乡建设局', shortName: '住建局' },
      { id: 'rsj', name: '解放区人力资源和社会保障局', shortName: '人社局' },
    ],
    indicators: [
      gdpIndicatorData(),
      milestoneIndicatorData('CITY-BRIDGE', 'zjj', {
        name: '焦武路大沙河桥',
        coDepts: ['fgw'],
        source: '焦武路大沙河桥建成通车',
        targetBasis: 'stated',
        stages: [
          { stage: '主体完成', plannedMonth: 6 },
          { stage: '建成通车', plannedMonth: 10 },
        ],
      }),
    ],
  };
}

function problemsOf(act: () => unknown): readonly string[] {
  try {
    act();
  } catch (error) {
    if (error instanceof InputRejectedError) return error.problems;
    throw error;
  }
  throw new Error('expected the catalog to be rejected');
}

describe('parseCatalog', () => {
  it('accepts a valid catalog, fills defaults, and a department without indicators is fine', () => {
    // Prepare
    const data = validData();

    // Act
    const catalog = parseCatalog(data, 'ok.yaml');

    // Assess
    expect(catalog.statusBands).toEqual({ aheadPoints: 5, seriouslyBehindPoints: 10 });
    expect(catalog.indicators[0]?.kind === 'cumulative' && catalog.indicators[0].allowNegative).toBe(false);
    expect(indicatorsForDept(catalog, 'rsj')).toEqual([]);
    expect(indicatorsForDept(catalog, 'zjj').map((i) => i.code)).toEqual(['CITY-BRIDGE']);
    expect(findIndicator(catalog, 'ECO-GDP')?.name).toBe('地区生产总值');
    expect(findIndicator(catalog, 'ECO-NONE')).toBeUndefined();
  });

  it('names file, indicator index and code, field, the allowed values and the value found', () => {
    // Prepare
    const data = validData();
    (data.indicators[0] as Record<string, unknown>).kind = 'sideways';

    // Act
    const problems = problemsOf(() => parseCatalog(data, 'bad.yaml'));

    // Assess
    expect(problems).toEqual([
      'bad.yaml: indicators[0] (ECO-GDP).kind: expected one of cumulative|stock|rate|rank|milestone|deadline|qualitative, got "sideways"',
    ]);
  });

  it('lists every field problem at once, each on its own line', () => {
    // Prepare
    const data = validData();
    const gdp = data.indicators[0] as Record<string, unknown>;
    gdp.direction = 'up';
    gdp.target = '175亿';
    delete gdp.source;
    (data.departments as Record<string, unknown>[])[0] = {
      id: 'fgw',
      name: '发改委',
      shortName: '发改委',
      emails: ['not-an-address'],
    };

    // Act
    const problems = problemsOf(() => parseCatalog(data, 'bad.yaml'));

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        'bad.yaml: departments[0] (fgw).emails[0]: expected an email address, got "not-an-address"',
        'bad.yaml: indicators[0] (ECO-GDP).direction: expected one of higher|lower, got "up"',
        'bad.yaml: indicators[0] (ECO-GDP).target: expected number, got "175亿"',
        'bad.yaml: indicators[0] (ECO-GDP).source: expected string, got nothing (the field is missing)',
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('cross-checks departments, duplicate codes and milestone order', () => {
    // Prepare
    const data = validData();
    const gdp = data.indicators[0] as Record<string, unknown>;
    gdp.dept = 'tjj';
    data.indicators.push({ ...gdp, dept: 'fgw', coDepts: ['fgw'] });
    const bridge = data.indicators[1] as Record<string, unknown>;
    bridge.stages = [
      { stage: '主体完成', plannedMonth: 8 },
      { stage: '建成通车', plannedMonth: 6 },
    ];
    bridge.coDepts = ['xyz'];

    // Act
    const problems = problemsOf(() => parseCatalog(data, 'x.yaml'));

    // Assess
    expect(problems).toEqual([
      'x.yaml: indicators[0] (ECO-GDP).dept: unknown department "tjj" (known: fgw, zjj, rsj)',
      'x.yaml: indicators[1] (CITY-BRIDGE).coDepts[0]: unknown department "xyz" (known: fgw, zjj, rsj)',
      'x.yaml: indicators[1] (CITY-BRIDGE).stages[1].plannedMonth: stages must be in planned order, but "建成通车" (month 6) comes after "主体完成" (month 8)',
      'x.yaml: indicators[2] (ECO-GDP).code: duplicate indicator code "ECO-GDP"',
      'x.yaml: indicators[2] (ECO-GDP).coDepts[0]: "fgw" is already the lead department',
    ]);
  });

  it('lists field problems and cross-check problems of the other entries in one run', () => {
    // Prepare
    const data = validData();
    (data.indicators[0] as Record<string, unknown>).kind = 'sideways';
    (data.indicators[1] as Record<string, unknown>).dept = 'tjj';
    (data.departments as Record<string, unknown>[])[1] = {
      id: 'zjj',
      name: '住建局',
      shortName: '住建局',
      emails: ['x'],
    };
    (data.indicators[1] as Record<string, unknown>).coDepts = ['zjj'];

    // Act
    const problems = problemsOf(() => parseCatalog(data, 'both.yaml'));

    // Assess
    expect(problems).toEqual([
      'both.yaml: departments[1] (zjj).emails[0]: expected an email address, got "x"',
      'both.yaml: indicators[0] (ECO-GDP).kind: expected one of cumulative|stock|rate|rank|milestone|deadline|qualitative, got "sideways"',
      'both.yaml: indicators[1] (CITY-BRIDGE).dept: unknown department "tjj" (known: fgw, zjj, rsj)',
    ]);
  });

  it('checks units, rank rules, profiles and milestone results', () => {
    // Prepare
    const data = validData();
    const base = data.indicators[0] as Record<string, unknown>;
    data.indicators = [
      { ...base, code: 'A-UNIT', unit: '公斤' },
      { ...base, code: 'A-RATE', kind: 'rate', unit: '个' },
      { ...base, code: 'A-RANK', kind: 'rank', unit: '位', direction: 'higher', target: 0 },
      { ...base, code: 'A-RATE-PROFILE', kind: 'rate', unit: '%', target: 66, profile: Array(12).fill(60) },
      { ...(data.indicators[1] as Record<string, unknown>), code: 'A-STAGE', reportedResult: '竣工' },
    ];

    // Act
    const problems = problemsOf(() => parseCatalog(data, 'u.yaml'));

    // Assess
    expect(problems).toEqual([
      'u.yaml: indicators[0] (A-UNIT).unit: unknown unit "公斤"',
      'u.yaml: indicators[1] (A-RATE).unit: a rate or share is measured in %, got "个"',
      'u.yaml: indicators[2] (A-RANK).direction: a rank is lower-is-better, got "higher"',
      'u.yaml: indicators[2] (A-RANK).target: a rank target is a position 1, 2, 3 …, got 0',
      "u.yaml: indicators[3] (A-RATE-PROFILE).profile[11]: a rate's December value is its target 66, got 60",
      'u.yaml: indicators[4] (A-STAGE).reportedResult: expected one of 未开工|主体完成|建成通车, got "竣工"',
    ]);
  });

  it('rejects a non-object with one readable line', () => {
    // Act
    const problems = problemsOf(() => parseCatalog('hello', 'p.yaml'));

    // Assess
    expect(problems).toEqual(['p.yaml: (top level): expected object, got "hello"']);
  });
});

describe('parseCatalogYaml', () => {
  it('reports YAML syntax errors with line and column', () => {
    // Prepare
    const text = 'year: 2023\ndistrict: [解放区\n';

    // Act
    const problems = problemsOf(() => parseCatalogYaml(text, 's.yaml'));

    // Assess
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^s\.yaml: line \d+, column \d+: /);
  });

  it('rejects duplicate keys rather than silently keeping the last one', () => {
    // Prepare
    const text = 'year: 2023\nyear: 2024\n';

    // Act
    const problems = problemsOf(() => parseCatalogYaml(text, 'd.yaml'));

    // Assess
    expect(problems[0]).toMatch(/^d\.yaml: line 2, column 1: .*unique/i);
  });
});

describe('catalogContentHash', () => {
  it('is the same for equal content in any key order, and changes with content', () => {
    // Prepare
    const a = parseCatalog(validData(), 'a.yaml');
    const reordered = Object.fromEntries(Object.entries(validData()).reverse());
    const changed = validData();
    (changed.indicators[0] as Record<string, unknown>).target = 176;

    // Act
    const hashA = catalogContentHash(a);
    const hashB = catalogContentHash(parseCatalog(reordered, 'b.yaml'));
    const hashC = catalogContentHash(parseCatalog(changed, 'c.yaml'));

    // Assess
    expect(hashA).toMatch(/^[0-9a-f]{64}$/);
    expect(hashB).toBe(hashA);
    expect(hashC).not.toBe(hashA);
  });

  it('survives a JSON round trip (what the store keeps)', () => {
    // Prepare
    const catalog = parseCatalog(validData(), 'a.yaml');

    // Act
    const again = JSON.parse(JSON.stringify(catalog));

    // Assess
    expect(catalogContentHash(again)).toBe(catalogContentHash(catalog));
  });
});

describe('the kinds, frequencies and target bases of #12', () => {
  function withIndicators(...indicators: Record<string, unknown>[]) {
    return { ...validData(), indicators };
  }
  const head = { section: '发展动能', dept: 'fgw', source: '报告原句', targetBasis: 'assumed' };
  /** A higher-is-better measured indicator; `extra` adds or overrides fields. */
  function measured(
    code: string,
    name: string,
    kind: string,
    unit: string,
    target: number,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> {
    return { ...head, code, name, kind, unit, direction: 'higher', target, ...extra };
  }

  it('accepts every kind with what it needs, and targets without a reported result', () => {
    // Prepare
    const data = withIndicators(
      measured('K-CUM', '累计', 'cumulative', '亿元', 10),
      measured('K-STOCK', '存量', 'stock', '户', 30500, { baseline: 27580 }),
      measured('K-RATE', '增速', 'rate', '%', 8, { frequency: 'quarterly' }),
      measured('K-RANK', '位次', 'rank', '位', 3, { direction: 'lower', frequency: 'annual' }),
      { ...head, code: 'K-DUE', name: '荣誉', kind: 'deadline', unit: '家', dueMonth: 12 },
      {
        ...head,
        code: 'K-TASK',
        name: '复审',
        kind: 'qualitative',
        stages: ['迎检', '通过复审'],
        dueMonth: 10,
      },
      milestoneIndicatorData('K-ROAD', 'fgw', { section: '发展动能', reportedResult: undefined }),
    );

    // Act
    const catalog = parseCatalog(data, 'kinds.yaml');

    // Assess
    expect(catalog.indicators.map((i) => i.kind)).toEqual([
      'cumulative',
      'stock',
      'rate',
      'rank',
      'deadline',
      'qualitative',
      'milestone',
    ]);
    expect(catalog.indicators.map((i) => ('frequency' in i ? i.frequency : '-'))).toEqual([
      'monthly',
      'monthly',
      'quarterly',
      'annual',
      '-',
      '-',
      '-',
    ]);
    expect(catalog.indicators[4]).toMatchObject({ target: 1, direction: 'higher' });
    expect(catalog.indicators.every((i) => i.reportedResult === undefined)).toBe(true);
  });

  it('names the file, indicator and field of what a kind is missing or gets wrong', () => {
    // Prepare
    const data = withIndicators(
      measured('K-STOCK', '存量', 'stock', '户', 30500),
      { ...head, code: 'K-DUE', name: '荣誉', kind: 'deadline', unit: '%', dueMonth: 13 },
      { ...head, code: 'K-TASK', name: '复审', kind: 'qualitative', stages: ['通过', '通过'], dueMonth: 10 },
      measured('K-FREQ', '按周', 'cumulative', '个', 1, { frequency: 'weekly' }),
      measured('K-PCT', '占比', 'stock', '%', 70, { baseline: 60 }),
    );

    // Act
    const problems = problemsOf(() => parseCatalog(data, 'k.yaml'));

    // Assess
    expect(problems).toEqual([
      "k.yaml: indicators[0] (K-STOCK 存量): baseline (last year's level) still to fill / 上年基数待填",
      'k.yaml: indicators[1] (K-DUE).dueMonth: Too big: expected number to be <=12, got 13',
      'k.yaml: indicators[3] (K-FREQ).frequency: expected one of monthly|quarterly|annual, got "weekly"',
      'k.yaml: indicators[2] (K-TASK).stages[1]: duplicate or reserved stage name "通过"',
      'k.yaml: indicators[4] (K-PCT).kind: a percentage is a rate or share, not a stock (use kind: rate)',
    ]);
  });

  it('asks a derived target for its arithmetic', () => {
    // Prepare
    const data = withIndicators({ ...gdpIndicatorData(), targetBasis: 'derived' });

    // Act
    const problems = problemsOf(() => parseCatalog(data, 'd.yaml'));

    // Assess
    expect(problems).toEqual([
      'd.yaml: indicators[0] (ECO-GDP).arithmetic: a derived target states how it was derived from the report, e.g. "104.5 ÷ 145.5% ≈ 71.82"',
    ]);
  });

  it('keeps reading the old spellings: level is a stock, implied a derived target with its note as arithmetic', () => {
    // Prepare
    const data = withIndicators(measured('K-OLD', '旧写法', 'level', '户', 9, { baseline: 8 }), {
      ...gdpIndicatorData(),
      targetBasis: 'implied',
      note: '104.5 ÷ 145.5% ≈ 71.82',
    });

    // Act
    const catalog = parseCatalog(data, 'old.yaml');

    // Assess
    expect(catalog.indicators[0]?.kind).toBe('stock');
    expect(catalog.indicators[1]).toMatchObject({
      targetBasis: 'derived',
      arithmetic: '104.5 ÷ 145.5% ≈ 71.82',
    });
  });

  it('takes the section headings of the catalog, and names the ones an indicator may use', () => {
    // Prepare
    const own = { ...validData(), sections: ['稳增长', '惠民生'] };
    own.indicators = [
      { ...gdpIndicatorData(), section: '稳增长' },
      { ...gdpIndicatorData(), code: 'ECO-GDP-2', section: '经济结构' },
    ];

    // Act
    const problems = problemsOf(() => parseCatalog(own, 's.yaml'));
    const ok = parseCatalog({ ...own, indicators: [own.indicators[0]] }, 's.yaml');

    // Assess
    expect(problems).toEqual([
      's.yaml: indicators[1] (ECO-GDP-2).section: expected one of the catalog\'s sections 稳增长|惠民生, got "经济结构"',
    ]);
    expect(sectionsOf(ok)).toEqual(['稳增长', '惠民生']);
    expect(sectionsOf(parseCatalog(validData(), 'v.yaml'))).toEqual([...DEFAULT_SECTIONS]);
  });
});
