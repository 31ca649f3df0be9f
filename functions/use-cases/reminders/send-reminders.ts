import { type ReminderTime, reminderTimes } from '../../core/calendar/reporting-schedule.ts';
import type { CatalogVersion, Department } from '../../core/catalog/catalog-schema.ts';
import { beijingDate, type DueDate, submissionDueDate } from '../../core/due-date.ts';
import { OFFICE, type ReminderClaim, type ReminderRecord } from '../../core/reminders/reminder-ledger.ts';
import { departmentReminder, officeSummary } from '../../core/reminders/reminder-mail.ts';
import { parsePeriod, previousPeriod, type Submission } from '../../core/submission.ts';
import type { Mailer, MailMessage, SentMail } from '../ports/bulletin.ts';
import type { WorkingCalendar } from '../ports/calendar.ts';
import type { ReminderLedger, TemplateBuilder } from '../ports/reminders.ts';
import type { AuditLog, CatalogStore, Clock, SubmissionStore } from '../ports/storage.ts';
import { catalogOfPeriod } from '../submissions/period-status.ts';

/**
 * 催报: at each of the month's reminder points (core/calendar/reporting-schedule.ts), every
 * department that has not reported gets a mail with its template attached, and the office one
 * summary of who is still missing. Each mail is claimed in the reminder ledger before it is
 * sent and recorded after, so a retry or a second run sends it once; the audit log records it
 * for people.
 */

export interface RemindDeps {
  readonly catalogs: CatalogStore;
  readonly submissions: SubmissionStore;
  readonly reminders: ReminderLedger;
  readonly audit: AuditLog;
  readonly mailer: Mailer;
  readonly calendar: WorkingCalendar;
  readonly buildTemplate: TemplateBuilder;
  readonly clock: Clock;
  /** Linked from each reminder when set. */
  readonly portalUrl?: string;
  /** Overrides the catalog's office contacts (configuration wins over the catalog file). */
  readonly office?: readonly string[];
  readonly actor: string;
  /** Identity of this invocation; Lambda keeps the request id across its retries. */
  readonly runId?: string;
  /** A claim still unsent after this long belongs to a run that died; the next run sends it. */
  readonly leaseMs?: number;
  readonly log?: (line: string) => void;
}

/** The reminder points to act on: those scheduled from `from` to `to` (inclusive). */
export interface RemindWindow {
  readonly from: Date;
  readonly to: Date;
}

export interface SentReminder {
  readonly point: string;
  readonly recipient: string;
  readonly to: readonly string[];
  readonly mail: SentMail;
}

export interface SkippedReminder {
  readonly point: string;
  readonly recipient: string;
  readonly reason: 'already-sent' | 'in-flight' | 'no-address';
}

export interface RemindResult {
  readonly period: string;
  readonly due: DueDate;
  /** The points of the month, and which of them this run acted on. */
  readonly points: readonly (ReminderTime & { readonly acted: boolean })[];
  readonly sent: readonly SentReminder[];
  readonly skipped: readonly SkippedReminder[];
  /** Departments that had not reported at the last point acted on. */
  readonly missing: readonly string[];
}

const DEFAULT_LEASE_MS = 10 * 60_000;

/** "2023-07-04 09:00" */
function beijingMinute(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function monthDay(iso: string): string {
  const [, m, d] = beijingDate(new Date(iso)).split('-').map(Number);
  return `${m}月${d}日`;
}

export async function sendReminders(
  deps: RemindDeps,
  period: string,
  window: RemindWindow,
): Promise<RemindResult> {
  const catalog = await catalogOfPeriod(deps.catalogs, period);
  const due = submissionDueDate(catalog.catalog, period, deps.calendar);
  const points = reminderTimes(catalog.catalog, period, deps.calendar);
  const acting = points.filter(
    (p) => p.instant.getTime() >= window.from.getTime() && p.instant.getTime() <= window.to.getTime(),
  );
  const run = new ReminderRun(deps, catalog, period, due);
  let missing: string[] = [];
  for (const point of acting) missing = await run.point(point, window);
  return {
    period,
    due,
    points: points.map((p) => ({ ...p, acted: acting.includes(p) })),
    sent: run.sent,
    skipped: run.skipped,
    missing,
  };
}

class ReminderRun {
  readonly sent: SentReminder[] = [];
  readonly skipped: SkippedReminder[] = [];
  private history: ReminderRecord[] | undefined;

  constructor(
    private readonly deps: RemindDeps,
    private readonly catalog: CatalogVersion,
    private readonly period: string,
    private readonly due: DueDate,
  ) {}

  /** Reminds every department still missing at this point, then tells the office; returns who is missing. */
  async point(point: ReminderTime, window: RemindWindow): Promise<string[]> {
    // Judged when the run stands (a replay: the end of its window; a live run: now).
    const asOf = new Date(Math.min(this.deps.clock().getTime(), window.to.getTime()));
    const reported = new Set(
      (await this.deps.submissions.allForPeriod(this.period))
        .filter((s) => Date.parse(s.receivedAt) <= asOf.getTime())
        .map((s) => s.dept),
    );
    const leading = this.catalog.catalog.departments.filter((d) =>
      this.catalog.catalog.indicators.some((i) => i.dept === d.id),
    );
    const missing = leading.filter((d) => !reported.has(d.id));
    this.history = await this.deps.reminders.list(this.period);
    for (const dept of missing) await this.remindDepartment(point, dept);
    if (missing.length > 0) await this.remindOffice(point, missing, leading.length, asOf);
    return missing.map((d) => d.id);
  }

  private indicators(dept: string): number {
    return this.catalog.catalog.indicators.filter((i) => i.dept === dept).length;
  }

  /** Earlier reminders of a recipient, as "7月3日". */
  private earlier(recipient: string, point: ReminderTime): string[] {
    return (this.history ?? [])
      .filter((r) => r.recipient === recipient && r.sent && r.point !== point.id)
      .map((r) => monthDay(r.scheduledFor));
  }

  private async remindDepartment(point: ReminderTime, dept: Department): Promise<void> {
    const to = dept.emails;
    if (to.length === 0) {
      this.skipped.push({ point: point.id, recipient: dept.id, reason: 'no-address' });
      return;
    }
    await this.once(point, dept.id, to, async () => {
      const templateName = `${dept.shortName}-${this.period}-报送模板.xlsx`;
      const words = departmentReminder({
        district: this.catalog.catalog.district,
        deptName: dept.name,
        deptShortName: dept.shortName,
        period: this.period,
        indicators: this.indicators(dept.id),
        due: this.due,
        workingDays: point.workingDays,
        nth: this.earlier(dept.id, point).length + 1,
        templateName,
        portalUrl: this.deps.portalUrl,
      });
      const template = await this.deps.buildTemplate({
        catalog: this.catalog,
        dept: dept.id,
        period: this.period,
        previous: await this.previous(dept.id),
        now: this.deps.clock(),
      });
      return {
        ...words,
        to,
        attachments: [
          {
            filename: templateName,
            content: template,
            contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          },
        ],
      };
    });
  }

  private async remindOffice(point: ReminderTime, missing: readonly Department[], total: number, asOf: Date) {
    const c = this.catalog.catalog;
    const configured = this.deps.office ?? [];
    const to =
      configured.length > 0
        ? configured
        : (c.recipients.office ?? (c.recipients.owner ? [c.recipients.owner] : []));
    if (to.length === 0) {
      this.skipped.push({ point: point.id, recipient: OFFICE, reason: 'no-address' });
      return;
    }
    await this.once(point, OFFICE, to, async () => ({
      ...officeSummary({
        district: c.district,
        period: this.period,
        due: this.due,
        workingDays: point.workingDays,
        asOfText: beijingMinute(asOf),
        total,
        missing: missing.map((d) => ({
          name: d.shortName,
          indicators: this.indicators(d.id),
          reminded: this.earlier(d.id, point),
          to: d.emails,
        })),
      }),
      to,
    }));
  }

  /** The department's accepted figures for the month before, which pre-fill its template. */
  private async previous(dept: string): Promise<Submission | undefined> {
    const before = previousPeriod(this.period);
    if (!before || parsePeriod(before)?.year !== this.catalog.year) return undefined;
    return this.deps.submissions.latest(dept, before);
  }

  /** Claim, send, record: a mail already sent is skipped, one claimed by a live run too. */
  private async once(
    point: ReminderTime,
    recipient: string,
    to: readonly string[],
    compose: () => Promise<MailMessage>,
  ): Promise<void> {
    const now = this.deps.clock();
    const claim: ReminderClaim = {
      period: this.period,
      point: point.id,
      recipient,
      scheduledFor: point.instant.toISOString(),
      claimedAt: now.toISOString(),
      to,
      ...(this.deps.runId ? { runId: this.deps.runId } : {}),
    };
    if (!(await this.deps.reminders.claim(claim))) {
      const existing = (await this.deps.reminders.list(this.period)).find(
        (r) => r.point === point.id && r.recipient === recipient,
      );
      if (existing?.sent) {
        this.skipped.push({ point: point.id, recipient, reason: 'already-sent' });
        return;
      }
      const ownRetry = this.deps.runId !== undefined && existing?.runId === this.deps.runId;
      const expired =
        existing && now.getTime() - Date.parse(existing.claimedAt) > (this.deps.leaseMs ?? DEFAULT_LEASE_MS);
      if (!ownRetry && !expired) {
        this.skipped.push({ point: point.id, recipient, reason: 'in-flight' });
        return;
      }
    }
    const mail = await this.deps.mailer.send(await compose());
    const at = this.deps.clock().toISOString();
    await this.deps.reminders.sent(this.period, point.id, recipient, { at, messageId: mail.messageId });
    await this.deps.audit.append({
      eventId: `reminder.sent#${this.period}#${point.id}#${recipient}`,
      at,
      action: 'reminder.sent',
      actor: this.deps.actor,
      period: this.period,
      ...(recipient === OFFICE ? {} : { dept: recipient }),
      detail: { point: point.id, scheduledFor: claim.scheduledFor, to, messageId: mail.messageId },
    });
    this.sent.push({ point: point.id, recipient, to, mail });
    this.deps.log?.(`reminder ${this.period} ${point.id} → ${recipient}: ${mail.location}`);
  }
}
