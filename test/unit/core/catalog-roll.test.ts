import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadCatalogFile, seedCatalogPath } from '../../../functions/adapters/catalog-files.ts';
import { findIndicator, parseCatalogYaml } from '../../../functions/core/catalog/catalog-parse.ts';
import { rollCatalog, targetsToFill } from '../../../functions/core/catalog/catalog-roll.ts';
import type { Catalog } from '../../../functions/core/catalog/catalog-schema.ts';

let seed: Catalog;
beforeAll(async () => {
  seed = await loadCatalogFile(seedCatalogPath(2023));
});

describe("next year's catalog (catalog roll)", () => {
  it("turns this year's results into baselines and keeps the targets as 假设 placeholders to fill", () => {
    // Act
    const { catalog, pending } = rollCatalog(seed, 2024);

    // Assess
    expect(catalog).toMatchObject({ year: 2024, title: '解放区2024年政府工作报告目标任务督办清单' });
    expect(findIndicator(catalog, 'ECO-GDP')).toMatchObject({
      baseline: 177.3,
      target: 177.3,
      targetBasis: 'assumed',
      targetToFill: true,
      frequency: 'quarterly',
    });
    expect(findIndicator(catalog, 'ECO-MARKET-ENTITIES')).toMatchObject({ kind: 'stock', baseline: 31769 });
    expect(findIndicator(catalog, 'ECO-FAI-GROWTH')).toMatchObject({ baseline: 5.8, target: 8 });
    expect(
      catalog.indicators.every((i) => i.reportedResult === undefined && i.arithmetic === undefined),
    ).toBe(true);
    expect(pending).toEqual(catalog.indicators.map((i) => i.code));
    expect(targetsToFill(catalog)).toHaveLength(pending.length);
  });

  it('drops what finished this year and carries what did not, with what is left to do', () => {
    // Act
    const { catalog, finished } = rollCatalog(seed, 2024);

    // Assess
    expect(finished).toEqual(
      expect.arrayContaining(['CITY-JIAOWU-BRIDGE', 'DYN-GAZELLE-FIRMS', 'WEL-HEALTH-CITY-REVIEW']),
    );
    expect(findIndicator(catalog, 'CITY-JIAOWU-BRIDGE')).toBeUndefined();
    expect(findIndicator(catalog, 'SOC-HOUSING-JINGUI')).toMatchObject({
      kind: 'milestone',
      targetToFill: true,
    });
    expect(findIndicator(catalog, 'SOC-NPL-RECOVERY')).toMatchObject({ kind: 'qualitative' });
    expect(catalog.indicators.length + finished.length).toBe(seed.indicators.length);
  });

  it('carries an unfinished project with its remaining stages and an honour with the results still due', () => {
    // Prepare
    const half: Catalog = {
      ...seed,
      indicators: seed.indicators.map((i) => {
        if (i.code === 'CITY-JIAOWU-BRIDGE' && i.kind === 'milestone')
          return { ...i, reportedResult: '主体完成' };
        if (i.code === 'DYN-SRDI-SMES' && i.kind === 'deadline') return { ...i, reportedResult: 1 };
        return i;
      }),
    };

    // Act
    const { catalog } = rollCatalog(half, 2024);

    // Assess
    const bridge = findIndicator(catalog, 'CITY-JIAOWU-BRIDGE');
    expect(bridge?.kind === 'milestone' && bridge.stages.map((s) => s.stage)).toEqual(['建成通车']);
    expect(findIndicator(catalog, 'DYN-SRDI-SMES')).toMatchObject({ target: 1 });
  });

  it('writes a catalog that validates again, in the same schema', () => {
    // Act
    const { catalog } = rollCatalog(seed, 2024);
    const again = parseCatalogYaml(stringify(catalog), '2024.yaml');

    // Assess
    expect(again.indicators).toHaveLength(catalog.indicators.length);
    expect(targetsToFill(again).map((i) => i.code)).toEqual(catalog.indicators.map((i) => i.code));
  });
});
