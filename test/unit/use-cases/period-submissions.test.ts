import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import { periodSubmissions } from '../../../functions/use-cases/submissions/period-status.ts';
import {
  seedCatalog,
  seedCatalogVersion,
  seedCorrection,
  seedSubmissions,
} from '../../fixtures/bulletin/seed-inputs.ts';
import { memoryStores } from '../bulletin/memory-stores.ts';

function setup() {
  const catalog = seedCatalog();
  const stores = memoryStores(seedCatalogVersion(catalog));
  const subs = seedSubmissions(catalog, 6);
  stores.subs.push(...subs);
  return { catalog, stores, subs };
}

describe('who has reported for a month', () => {
  it('lists every department with indicators, its latest version, and 未报送 as no version', async () => {
    // Prepare
    const { catalog, stores } = setup();

    // Act
    const june = await periodSubmissions(stores, '2023-06');

    // Assess
    const leading = catalog.departments.filter((d) => catalog.indicators.some((i) => i.dept === d.id));
    expect(june.departments.map((d) => d.dept)).toEqual(leading.map((d) => d.id));
    const late = june.departments.filter((d) => d.latest === null).map((d) => d.dept);
    expect(late).toEqual(['nyj']);
    expect([june.reported, june.missing]).toEqual([leading.length - 1, 1]);
    expect(june.departments.find((d) => d.dept === 'fgw')?.latest).toMatchObject({
      version: 1,
      correction: false,
    });
  });

  it('shows a correction as the latest version', async () => {
    // Prepare
    const { catalog, stores, subs } = setup();
    const correction = seedCorrection(catalog, subs);
    stores.subs.push(correction);

    // Act
    const status = await periodSubmissions(stores, correction.period);

    // Assess
    expect(status.departments.find((d) => d.dept === correction.dept)?.latest).toMatchObject({
      version: 2,
      correction: true,
      sha256: correction.sourceSha256,
    });
  });

  it('rejects a malformed period and a year without a catalog as input', async () => {
    // Prepare
    const { stores } = setup();

    // Act
    const malformed = periodSubmissions(stores, '2023-13');
    const noCatalog = periodSubmissions(stores, '2019-01');

    // Assess
    await expect(malformed).rejects.toBeInstanceOf(InputRejectedError);
    await expect(noCatalog).rejects.toThrow(/no catalog for 2019/);
  });
});
