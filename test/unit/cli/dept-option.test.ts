import { describe, expect, it } from 'vitest';
import { deptIdOf, resolveDept } from '../../../bin/cli/dept-option.ts';
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

  it('looks a name up in the stored catalog of the period, and leaves an id as it is', async () => {
    // Act / Assess
    await expect(deptIdOf(catalogs, '发改委', '2023-06')).resolves.toBe('fgw');
    await expect(deptIdOf(catalogs, 'xyz', '2023-06')).resolves.toBe('xyz');
    await expect(deptIdOf(catalogs, '发改委', '2019-06')).rejects.toThrow(/no catalog of 2019/);
  });
});
