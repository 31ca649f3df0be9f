import { ensureCatalog } from '../adapters/ensure-catalog.ts';
import { buildTemplate } from '../adapters/workbook/template-writer.ts';
import { findDepartment } from '../core/catalog/catalog-lookup.ts';
import { indicatorsForDept } from '../core/catalog/catalog-parse.ts';
import type { CatalogVersion } from '../core/catalog/catalog-schema.ts';
import { UsageError } from '../core/errors.ts';
import { parsePeriod, previousPeriod, type Submission } from '../core/submission.ts';
import type { AuditLog, CatalogStore, SubmissionStore } from '../use-cases/ports/storage.ts';

/**
 * A department's workbook for a month, as `duban template` and the portal's download hand
 * it out: from the latest catalog of the year (the seed is loaded on first use), with last
 * month's accepted figures of the same year beside this month's cells.
 */
export interface TemplateStores {
  readonly catalogs: CatalogStore;
  readonly audit: AuditLog;
  readonly submissions: SubmissionStore;
}

export interface DepartmentTemplate {
  readonly bytes: Uint8Array;
  readonly catalog: CatalogVersion;
  /** The department's id (the request may name it: 发改委). */
  readonly dept: string;
  readonly indicators: number;
  readonly previous: Submission | undefined;
}

export async function makeDepartmentTemplate(
  stores: TemplateStores,
  request: { readonly dept: string; readonly period: string; readonly now: Date; readonly actor: string },
): Promise<DepartmentTemplate> {
  const year = parsePeriod(request.period)?.year;
  if (!year) throw new UsageError(`--period must be YYYY-MM (e.g. 2023-06), got "${request.period}"`);
  const catalog = await ensureCatalog(stores, year, request.now, request.actor);
  // An unknown id or name is left as it is for the template writer to refuse, naming the known ones.
  const dept = findDepartment(catalog.catalog, request.dept)?.id ?? request.dept;
  const before = previousPeriod(request.period);
  const previous =
    before && parsePeriod(before)?.year === year ? await stores.submissions.latest(dept, before) : undefined;
  const bytes = await buildTemplate({
    catalog: catalog.catalog,
    catalogVersion: catalog.version,
    dept,
    period: request.period,
    previous,
    now: request.now,
  });
  return { bytes, catalog, dept, indicators: indicatorsForDept(catalog.catalog, dept).length, previous };
}
