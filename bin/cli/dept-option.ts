import { shanghaiDate } from '../../functions/core/bulletin/bulletin-period.ts';
import { findDepartment } from '../../functions/core/catalog/catalog-lookup.ts';
import type { Catalog } from '../../functions/core/catalog/catalog-schema.ts';
import { UsageError } from '../../functions/core/errors.ts';
import type { CatalogStore } from '../../functions/use-cases/ports/storage.ts';

/** A department id as the catalog writes it (fgw); anything else is taken for a name (发改委). */
export const DEPT_ID = /^[a-z][a-z0-9-]{1,31}$/;

/**
 * `--dept` names a department by its id (`fgw`) or its name (`发改委`, or the full name):
 * the id it stands for, or a usage error listing the departments of the catalog.
 */
export function resolveDept(catalog: Pick<Catalog, 'departments' | 'year'>, value: string): string {
  const found = findDepartment(catalog, value);
  if (found) return found.id;
  const known = catalog.departments.map((d) => `${d.id} ${d.shortName}`).join(', ');
  throw new UsageError(
    `--dept "${value}" is not a department of the ${catalog.year} catalog (known: ${known})`,
  );
}

/**
 * The id a `--dept` value stands for: an id as it is, a name looked up in the catalog of the
 * period's year (or, without a period, this year's or last year's in Beijing time).
 */
export async function deptIdOf(
  catalogs: CatalogStore,
  value: string,
  period: string | undefined,
): Promise<string> {
  if (DEPT_ID.test(value)) return value;
  const thisYear = shanghaiDate(new Date()).year;
  const years = period ? [Number(period.slice(0, 4))] : [thisYear, thisYear - 1];
  for (const year of years) {
    const stored = await catalogs.get(year);
    if (stored) return resolveDept(stored.catalog, value);
  }
  throw new UsageError(
    `--dept "${value}": no catalog of ${years.join(' or ')} to look the name up in; use the id`,
  );
}
