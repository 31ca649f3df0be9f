import type { CatalogVersion } from '../../core/catalog/catalog-schema.ts';
import { type DueDate, isLate, submissionDueDate } from '../../core/due-date.ts';
import type { Principal } from '../../core/portal/principal.ts';
import type { Submission } from '../../core/submission.ts';
import type { PortalData } from '../ports.ts';

/** One department's line on the 报送进度 board and in GET /api/periods/{p}/status. */
export interface DeptStatus {
  readonly dept: string;
  readonly name: string;
  readonly reported: boolean;
  /** Latest accepted version, or null. */
  readonly version: number | null;
  /** When the latest accepted version was received (ISO), or null. */
  readonly receivedAt: string | null;
  /** When the first version was received: what lateness is judged on. */
  readonly firstReceivedAt: string | null;
  readonly late: boolean;
}

export interface PeriodStatus {
  readonly period: string;
  readonly catalog: { readonly year: number; readonly version: number } | null;
  readonly due: DueDate | null;
  readonly departments: readonly DeptStatus[];
}

function byDept(subs: readonly Submission[]): Map<string, Submission[]> {
  const map = new Map<string, Submission[]>();
  for (const s of subs) map.set(s.dept, [...(map.get(s.dept) ?? []), s]);
  for (const list of map.values()) list.sort((a, b) => a.version - b.version);
  return map;
}

/**
 * Who has reported for a period, in catalog order, with the due date and lateness from the
 * one due-date rule. A department user sees only its own line.
 */
export async function periodStatus(
  data: PortalData,
  principal: Principal,
  period: string,
  now: Date,
): Promise<PeriodStatus> {
  const catalog: CatalogVersion | undefined = await data.catalogs.latest(Number(period.slice(0, 4)));
  const all = byDept(await data.submissions.allForPeriod(period));
  // The one due-date rule on the official calendar: the board, `duban status` and the bulletin agree.
  const due = catalog ? submissionDueDate(catalog.catalog, period, await data.calendar()) : null;
  const known = catalog?.catalog.departments ?? [];
  // Departments that reported but are not in the catalog still show (a renamed id must not vanish).
  const extra = [...all.keys(), ...(principal.dept ? [principal.dept] : [])];
  const ids = [
    ...new Set([...known.map((d) => d.id), ...extra.filter((id) => !known.some((d) => d.id === id)).sort()]),
  ];
  const departments = ids
    .filter((id) => principal.role !== 'department' || id === principal.dept)
    .map((id): DeptStatus => {
      const versions = all.get(id) ?? [];
      const first = versions[0];
      const latest = versions.at(-1);
      return {
        dept: id,
        name: known.find((d) => d.id === id)?.shortName ?? id,
        reported: latest !== undefined,
        version: latest?.version ?? null,
        receivedAt: latest?.receivedAt ?? null,
        firstReceivedAt: first?.receivedAt ?? null,
        late: due ? isLate(due, first?.receivedAt, now) : false,
      };
    });
  return {
    period,
    catalog: catalog ? { year: catalog.year, version: catalog.version } : null,
    due,
    departments,
  };
}
