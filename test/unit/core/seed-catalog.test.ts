import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFile, seedCatalogPath } from '../../../functions/adapters/catalog-files.ts';
import { findIndicator } from '../../../functions/core/catalog/catalog-parse.ts';
import type { Catalog } from '../../../functions/core/catalog/catalog-schema.ts';
import { formatNumber, formatPercent } from '../../../functions/core/format-decimal.ts';
import { rollUp } from '../../../functions/core/progress/rollup.ts';
import { assessCatalog } from '../../support/assess-catalog.ts';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalogFile(seedCatalogPath(2023));
});

/** Every figure issue #3 lists, with the report's 2023 value, unit and kind. */
const REPORTED: [code: string, value: number | string, unit: string, kind: string][] = [
  ['ECO-GDP', 177.3, '亿元', 'cumulative'],
  ['ECO-FAI-GROWTH', 5.8, '%', 'rate'],
  ['ECO-MARKET-ENTITIES', 31769, '户', 'stock'],
  ['ECO-MARKET-ENTITIES-GROWTH', 15.19, '%', 'rate'],
  ['ECO-DIGITAL-FIRMS', 1200, '家', 'stock'],
  ['ECO-5G-STATIONS', 570, '个', 'stock'],
  ['ECO-CULTURE-TOURISM-PROJECTS', 18, '个', 'cumulative'],
  ['ECO-FIRST-STORES', 40, '个', 'cumulative'],
  ['ECO-TOURISTS', 702, '万人次', 'cumulative'],
  ['ECO-TOURISM-REVENUE', 2, '亿元', 'cumulative'],
  ['DYN-KEY-PROJECT-INVESTMENT', 104.5, '亿元', 'cumulative'],
  ['DYN-INVESTOR-CONTACTS', 538, '批次', 'cumulative'],
  ['DYN-REMOTE-APPROVAL', 1522, '项', 'stock'],
  ['CITY-ALLEY-PAVING', 23, '条', 'cumulative'],
  ['CITY-OLD-COMMUNITIES', 16, '个', 'cumulative'],
  ['CITY-OLD-PIPE-NETWORKS', 143, '个', 'cumulative'],
  ['CITY-NEW-HEATED-COMMUNITIES', 34, '个', 'cumulative'],
  ['CITY-GOOD-AIR-DAYS', 64.8, '%', 'rate'],
  ['CITY-AFFORESTATION', 500, '亩', 'cumulative'],
  ['CITY-MOUNTAIN-CLOSURE', 1000, '亩', 'cumulative'],
  ['CITY-RIVER-PATROL-RATE', 100, '%', 'rate'],
  ['WEL-LIVELIHOOD-SPENDING', 9.16, '亿元', 'cumulative'],
  ['WEL-LIVELIHOOD-SHARE', 73, '%', 'rate'],
  ['WEL-SKILLED-WORKERS', 4513, '人', 'cumulative'],
  ['WEL-SCARCE-TALENT', 223, '人', 'cumulative'],
  ['SOC-GAS-SHUTOFF-VALVES', 11, '万户', 'cumulative'],
  ['SOC-PETITION-BACKLOG', 200, '起', 'cumulative'],
  ['GOV-NPC-SUGGESTIONS', 37, '件', 'cumulative'],
  ['GOV-CPPCC-PROPOSALS', 71, '件', 'cumulative'],
  ['GOV-INSPECTION-RECTIFICATION', 20, '项', 'cumulative'],
  ['ECO-RETAIL-RANK', 5, '位', 'rank'],
  ['ECO-INDUSTRY-RANK', 1, '位', 'rank'],
  ['CITY-JIAOWU-BRIDGE', '建成通车', '阶段', 'milestone'],
  ['CITY-LINYUAN-ROAD', '主体完成', '阶段', 'milestone'],
  ['CITY-MENGZHOU-N-ROAD', '开工建设', '阶段', 'milestone'],
  ['CITY-ZHENGYANG-ROAD', '开工建设', '阶段', 'milestone'],
  ['WEL-ELDERLY-CARE-CENTER', '开工建设', '阶段', 'milestone'],
  ['ECO-HUSHI-MATERIALS', '开工建设', '阶段', 'milestone'],
  ['ECO-SHOULASHOU-AUTO-PARK', '开工建设', '阶段', 'milestone'],
];

const CHINESE_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Figures the report gives by naming the items rather than counting them. */
const COUNTED_BY_NAME: Readonly<Record<string, readonly string[]>> = {
  'DYN-GAZELLE-FIRMS': ['铁路电缆厂'],
  'DYN-SRDI-SMES': ['三泰机械', '盛世高科'],
  'DYN-DIGITAL-DEMO-FIRMS': ['平原光电'],
  'DYN-INNOVATION-PLATFORMS': ['地理信息产业园', '人力资源双创产业园'],
  'WEL-SCHOOL-BUILDINGS': ['幸小', '环一', '二十中'],
};

describe('the 2023 seed catalog', () => {
  it.each(REPORTED)('has %s with the report value %s %s (%s)', (code, value, unit, kind) => {
    // Act
    const indicator = findIndicator(catalog, code);

    // Assess
    expect(indicator).toMatchObject({ reportedResult: value, unit, kind });
  });

  it('has at least 30 numeric indicators, 8–12 departments, and every department is reachable', () => {
    // Act
    const numeric = catalog.indicators.filter((i) => i.kind !== 'milestone');
    const ids = catalog.departments.map((d) => d.id);

    // Assess
    expect(numeric.length).toBeGreaterThanOrEqual(30);
    expect(ids.length).toBeGreaterThanOrEqual(8);
    expect(ids.length).toBeLessThanOrEqual(12);
    expect(ids).toEqual(expect.arrayContaining(['fgw', 'gxj', 'wlj', 'zjj', 'sthj', 'rsj']));
    for (const d of catalog.departments) {
      expect(d.emails.length).toBeGreaterThan(0);
      for (const e of d.emails) expect(e).toMatch(/@jiefang\.example\.gov\.cn$/);
    }
    expect(catalog.recipients.leaders.length).toBeGreaterThan(0);
  });

  it('quotes, for every indicator, a source sentence that contains the reported figure', () => {
    for (const i of catalog.indicators) {
      // Prepare
      const named = COUNTED_BY_NAME[i.code];
      if (named) {
        expect(i.reportedResult, i.code).toBe(named.length);
        for (const name of named) expect(i.source, i.code).toContain(name);
        continue;
      }
      const result = i.reportedResult;
      if (result === undefined) throw new Error(`${i.code}: the 2023 catalog states every result`);
      let figure: string;
      if (typeof result === 'string') figure = result;
      else if (i.kind === 'rank') figure = `第${CHINESE_DIGITS[result] ?? result}`;
      else figure = formatNumber(result, 2);

      // Assess
      expect(i.source, i.code).toContain(figure);
    }
  });

  it('derives the key-project plan from 145.5% and prints that completion exactly', () => {
    // Act
    const invest = findIndicator(catalog, 'DYN-KEY-PROJECT-INVESTMENT');

    // Assess
    expect(invest).toMatchObject({ target: 71.82, targetBasis: 'derived' });
    if (invest?.kind !== 'cumulative') throw new Error('expected a cumulative indicator');
    expect(formatPercent((invest.reportedResult ?? Number.NaN) / invest.target)).toBe('145.5%');
  });

  it('ends December 2023 at the reported results with most targets met and a few behind', () => {
    // Prepare
    const december = new Map(catalog.indicators.map((i) => [i.code, i.reportedResult] as const));

    // Act
    const progress = assessCatalog(catalog, 12, december);
    const { overall } = rollUp(catalog, progress);
    const behind = progress
      .filter((p) => p.status === '欠进度' || p.status === '严重滞后')
      .map((p) => p.code);

    // Assess
    expect(overall.counts.已完成 / overall.total).toBeGreaterThan(0.75);
    expect(overall.counts.严重滞后).toBeGreaterThanOrEqual(1);
    expect(overall.counts.未报送).toBe(0);
    expect(behind).toEqual(
      expect.arrayContaining([
        'ECO-FAI-GROWTH',
        'ECO-FIRST-STORES',
        'CITY-GOOD-AIR-DAYS',
        'CITY-LINYUAN-ROAD',
      ]),
    );
    expect(behind.length).toBeLessThanOrEqual(8);
  });
});
