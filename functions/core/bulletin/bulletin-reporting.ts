import { type DueDate, isLate } from '../due-date.ts';
import type { Submission } from '../submission.ts';
import type { BulletinReporting, DepartmentRollup } from './bulletin-model.ts';
import { shanghaiDate } from './bulletin-period.ts';

/**
 * Who reported on time, who late (逾期报送) and who was chased (催报): what a department head
 * disputes first, so every mark names the day it rests on — the due day of due-date.ts, the
 * first accepted version's arrival, the reminders that went out.
 */
export interface ReportingInput {
  readonly due: Pick<DueDate, 'day' | 'deadline' | 'rule'>;
  /** dept → ISO instants it was reminded (催报), oldest first. */
  readonly remindedAt?: Readonly<Record<string, readonly string[]>>;
}

/** "7月5日" in Beijing time. */
export function monthDayLabel(iso: string): string {
  const d = shanghaiDate(new Date(iso));
  return `${d.month}月${d.day}日`;
}

/** dept → the first accepted version of the period (a later correction is not lateness). */
function firstVersions(submissions: readonly Submission[], period: string): Map<string, Submission> {
  const first = new Map<string, Submission>();
  for (const s of submissions) {
    if (s.period !== period) continue;
    const seen = first.get(s.dept);
    if (!seen || s.version < seen.version) first.set(s.dept, s);
  }
  return first;
}

/** Each department with its first arrival, lateness, reminders and the text of the 报送情况 cell. */
export function withReporting(
  departments: readonly DepartmentRollup[],
  submissions: readonly Submission[],
  period: string,
  reporting: ReportingInput,
  now: Date,
): DepartmentRollup[] {
  const first = firstVersions(submissions, period);
  return departments.map((d) => {
    const firstReceivedAt = d.reported ? (first.get(d.id)?.receivedAt ?? d.receivedAt) : null;
    const late = firstReceivedAt !== null && isLate(reporting.due, firstReceivedAt, now);
    const remindedAt = reporting.remindedAt?.[d.id] ?? [];
    const reminded = remindedAt.length > 0 ? `已催报：${remindedAt.map(monthDayLabel).join('、')}` : '';
    const version =
      d.submissionVersion !== null && d.submissionVersion > 1 ? `第${d.submissionVersion}版` : '';
    const notes = (lead: string) => [lead, version, reminded].filter(Boolean).join('，');
    const reportingText = !d.reported
      ? `未报送${reminded ? `（${reminded}）` : ''}`
      : late && firstReceivedAt
        ? `逾期报送（${notes(`${monthDayLabel(firstReceivedAt)}报送`)}）`
        : `已报送${version || reminded ? `（${notes('')}）` : ''}`;
    return { ...d, firstReceivedAt, late, remindedAt, reportingText };
  });
}

/** The counts page 1 states, from departments already passed through withReporting. */
export function reportingSummary(
  departments: readonly DepartmentRollup[],
  reporting: ReportingInput,
): BulletinReporting {
  const late = departments.filter((d) => d.late === true);
  const notReported = departments.filter((d) => !d.reported).length;
  const onTime = departments.length - late.length - notReported;
  const reminded = departments.filter((d) => (d.remindedAt?.length ?? 0) > 0).length;
  const [y, m, day] = reporting.due.day.split('-').map(Number);
  const dueDayLabel = `${y}年${m}月${day}日`;
  const remindedPart = reminded > 0 ? `；共催报${reminded}个单位` : '';
  return {
    dueDay: reporting.due.day,
    dueDayLabel,
    dueRule: reporting.due.rule,
    onTime,
    late: late.length,
    notReported,
    lateNames: late.map((x) => x.shortName),
    reminded,
    summary: `本期报送截止日为${dueDayLabel}：按时报送${onTime}个单位，逾期报送${late.length}个，未报送${notReported}个${remindedPart}。`,
  };
}
