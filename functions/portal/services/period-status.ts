import type { DueDate } from '../../core/due-date.ts';
import { InputRejectedError } from '../../core/errors.ts';
import type { Principal } from '../../core/portal/principal.ts';
import {
  type DepartmentSubmission,
  type PeriodSubmissions,
  periodSubmissions,
} from '../../use-cases/submissions/period-status.ts';
import type { PortalData } from '../ports.ts';

/**
 * The 报送进度 board and GET /api/periods/{p}/status: the one use case `duban status` runs
 * (use-cases/submissions/period-status.ts), read with the portal's stores and narrowed to what
 * the principal may see — a department user only its own line.
 */
export interface PeriodStatus {
  readonly period: string;
  readonly catalog: PeriodSubmissions['catalog'] | null;
  readonly due: DueDate | null;
  readonly departments: readonly DepartmentSubmission[];
}

export async function periodStatus(
  data: PortalData,
  principal: Principal,
  period: string,
  now: Date,
): Promise<PeriodStatus> {
  let view: PeriodSubmissions;
  try {
    view = await periodSubmissions(
      {
        catalogs: { get: (year) => data.catalogs.latest(year) },
        submissions: data.submissions,
        calendar: await data.calendar(),
        reminders: data.reminders,
      },
      period,
      now,
    );
  } catch (error) {
    // A year with no catalog yet: the board shows an empty month rather than an error page.
    if (error instanceof InputRejectedError) return { period, catalog: null, due: null, departments: [] };
    throw error;
  }
  return {
    period,
    catalog: view.catalog,
    due: view.due,
    departments: view.departments.filter((d) => principal.role !== 'department' || d.dept === principal.dept),
  };
}
