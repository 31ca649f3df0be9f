import { describe, expect, it } from 'vitest';
import { deptIdOf, deptYears, resolveDept } from '../../../bin/cli/dept-option.ts';
import type { CatalogVersion } from '../../../functions/core/catalog/catalog-schema.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import type { CatalogStore } from '../../../functions/use-cases/ports/storage.ts';
import { tinyCatalog } from '../../support/sample-catalog.ts';

const catalog = tinyCatalog();
const stored: CatalogVersion = {
  year: 2023,
  version: 1,
  contentHash: 'h',
  catalog,
  loadedAt: '2023-01-01T00:00:00Z',
};
const catalogs: CatalogStore = {
  put: async () => ({ version: stored, unchanged: true }),
  get: async (year) => (year === 2023 ? stored : undefined),
  list: async () => [stored],
};

describe('--dept by id or name (#12 problem 8)', () => {
  it('takes the id, the short name or the full name', () => {
    // Act / Assess
    expect(resolveDept(catalog, 'fgw')).toBe('fgw');
    expect(resolveDept(catalog, '发改委')).toBe('fgw');
    expect(resolveDept(catalog, ' 区发展和改革委员会 ')).toBe('fgw');
  });

  it('names the departments it knows when the name is not one of them', () => {
    // Act / Assess
    expect(() => resolveDept(catalog, '发展委')).toThrow(UsageError);
    expect(() => resolveDept(catalog, '发展委')).toThrow(
      '--dept "发展委" is not a department of the 2023 catalog (known: fgw 发改委)',
    );
  });

  it('looks an id or a name up in the stored catalogs of the years given', async () => {
    // Act / Assess
    await expect(deptIdOf(catalogs, '发改委', [2023])).resolves.toBe('fgw');
    await expect(deptIdOf(catalogs, 'fgw', [2024, 2023])).resolves.toBe('fgw');
  });

  it('refuses an id no stored catalog knows, listing the ids and names it does (#14 item 10)', async () => {
    // Act / Assess
    await expect(deptIdOf(catalogs, 'xyz', [2023])).rejects.toThrow(UsageError);
    await expect(deptIdOf(catalogs, 'xyz', [2024, 2023])).rejects.toThrow(
      '--dept "xyz" is not a department of the 2023 catalog (known: fgw 发改委)',
    );
  });

  it('with no catalog stored for the years, takes an id as it is but cannot look a name up', async () => {
    // Act / Assess
    await expect(deptIdOf(catalogs, 'fgw', [2019])).resolves.toBe('fgw');
    await expect(deptIdOf(catalogs, '发改委', [2019])).rejects.toThrow(/no catalog of 2019 is stored/);
  });

  it('checks a period’s year, else the years of the records listed and the recent ones', () => {
    // Prepare
    const now = new Date('2026-11-29T12:00:00Z');

    // Act / Assess
    expect(deptYears('2023-06', ['2021-01'], now)).toEqual([2023]);
    expect(deptYears(undefined, ['2019-03', '2023-06'], now)).toEqual([
      2027, 2026, 2025, 2024, 2023, 2022, 2019,
    ]);
  });
});
