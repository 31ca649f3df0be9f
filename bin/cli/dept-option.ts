import { shanghaiDate } from '../../functions/core/bulletin/bulletin-period.ts';
import { departmentList, findDepartment } from '../../functions/core/catalog/catalog-lookup.ts';
import type { Catalog, Department } from '../../functions/core/catalog/catalog-schema.ts';
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
  throw new UsageError(
    `--dept "${value}" is not a department of the ${catalog.year} catalog (known: ${departmentList(catalog.departments)})`,
  );
}

/** Catalog years a `--dept` without a period is looked up in, besides those of the records listed. */
const RECENT_YEARS = 5;

/**
 * Years whose catalogs a `--dept` is checked against: the period's year when one is given,
 * else the years of the records the command lists, next year's (drafted in advance) and the
 * last five (Beijing time) — an auditor reading 2023's archive in 2026 names 2023's departments.
 */
export function deptYears(
  period: string | undefined,
  periodsListed: Iterable<string> = [],
  now = new Date(),
): number[] {
  if (period) return [Number(period.slice(0, 4))];
  const thisYear = shanghaiDate(now).year;
  const years = new Set(Array.from({ length: RECENT_YEARS + 1 }, (_, i) => thisYear + 1 - i));
  for (const p of periodsListed) years.add(Number(p.slice(0, 4)));
  return [...years].filter(Number.isInteger).sort((a, b) => b - a);
}

/**
 * The id a `--dept` value (id or name) stands for in the stored catalogs of `years`, newest
 * first. A value the stored catalogs do not know is a usage error listing the ids and names they do know:
 * "nothing found" for a typo would read as "this department never reported".
 */
export async function deptIdOf(
  catalogs: CatalogStore,
  value: string,
  years: readonly number[],
): Promise<string> {
  const known = new Map<string, Department>();
  const stored: number[] = [];
  for (const year of years) {
    const catalog = (await catalogs.get(year))?.catalog;
    if (!catalog) continue;
    stored.push(year);
    const found = findDepartment(catalog, value);
    if (found) return found.id;
    for (const d of catalog.departments) if (!known.has(d.id)) known.set(d.id, d);
  }
  // A store with no catalog yet (accounts set up before the first load) cannot say which ids
  // exist; an id is taken as it is, a name cannot be looked up.
  if (stored.length === 0 && DEPT_ID.test(value)) return value;
  if (stored.length === 0) {
    throw new UsageError(
      `--dept "${value}": no catalog of ${years.join(', ')} is stored to look the department up in; give --period, or load the catalog with \`npx duban catalog load <file>\``,
    );
  }
  throw new UsageError(
    `--dept "${value}" is not a department of the ${stored.join('/')} catalog (known: ${departmentList([...known.values()])})`,
  );
}
