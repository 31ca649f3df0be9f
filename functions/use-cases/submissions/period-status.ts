import type { CatalogVersion } from '../../core/catalog/catalog-schema.ts';
import { InputRejectedError } from '../../core/errors.ts';
import { parsePeriod } from '../../core/submission.ts';
import type { CatalogStore, SubmissionStore } from '../ports/storage.ts';

/** One department's standing for a month: what it has submitted so far, if anything. */
export interface DepartmentSubmission {
  readonly dept: string;
  readonly name: string;
  /** Indicators the department answers for in the catalog. */
  readonly indicators: number;
  /** The latest accepted version, or null when the department has not reported (未报送). */
  readonly latest: {
    readonly version: number;
    readonly receivedAt: string;
    readonly uploader: string;
    readonly sha256: string;
    /** True when the latest version corrects an earlier one (更正). */
    readonly correction: boolean;
  } | null;
}

export interface PeriodSubmissions {
  readonly period: string;
  readonly catalog: { readonly year: number; readonly version: number };
  readonly departments: readonly DepartmentSubmission[];
  readonly reported: number;
  readonly missing: number;
}

/**
 * Who has reported for a month, department by department in catalog order: the statistics
 * office's and the portal's view of a period (departments without indicators are left out).
 */
export async function periodSubmissions(
  deps: { readonly catalogs: CatalogStore; readonly submissions: SubmissionStore },
  period: string,
): Promise<PeriodSubmissions> {
  const year = parsePeriod(period)?.year;
  if (year === undefined)
    throw new InputRejectedError(`期间格式应为 YYYY-MM / period must be YYYY-MM, got "${period}"`);
  const catalog: CatalogVersion | undefined = await deps.catalogs.get(year);
  if (!catalog) {
    throw new InputRejectedError(
      `没有${year}年的目标目录 / no catalog for ${year}: load one with \`duban catalog load\``,
    );
  }
  const latest = new Map((await deps.submissions.latestForPeriod(period)).map((s) => [s.dept, s]));
  const departments = catalog.catalog.departments
    .map((d): DepartmentSubmission => {
      const s = latest.get(d.id);
      return {
        dept: d.id,
        name: d.shortName,
        indicators: catalog.catalog.indicators.filter((i) => i.dept === d.id).length,
        latest: s
          ? {
              version: s.version,
              receivedAt: s.receivedAt,
              uploader: s.uploader,
              sha256: s.sourceSha256,
              correction: s.correction !== undefined,
            }
          : null,
      };
    })
    .filter((d) => d.indicators > 0);
  const reported = departments.filter((d) => d.latest !== null).length;
  return {
    period,
    catalog: { year: catalog.year, version: catalog.version },
    departments,
    reported,
    missing: departments.length - reported,
  };
}
