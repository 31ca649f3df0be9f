import type { Catalog } from '../../functions/core/catalog/catalog-schema.ts';
import { catalogSchema } from '../../functions/core/catalog/catalog-schema.ts';

/** A two-indicator catalog for storage tests that do not care about the seed's content. */
export function tinyCatalog(overrides: Partial<Catalog> = {}): Catalog {
  return catalogSchema.parse({
    year: 2023,
    district: '测试区',
    title: '测试目标',
    sourceDocument: 'test',
    departments: [{ id: 'fgw', name: '区发展和改革委员会', shortName: '发改委', emails: ['fgw@example.cn'] }],
    indicators: [
      {
        code: 'ECO-GDP',
        name: '地区生产总值',
        section: '经济结构',
        dept: 'fgw',
        source: '全区地区生产总值完成177.3亿元',
        targetBasis: 'assumed',
        kind: 'cumulative',
        unit: '亿元',
        direction: 'higher',
        target: 175,
        reportedResult: 177.3,
      },
    ],
    ...overrides,
  });
}
