import * as z from 'zod/mini';

/**
 * The record of every 催报 mail: a run claims (period, point, recipient) before it sends, and
 * records the send after, each as its own immutable entry. A retry finds the claim and sends
 * nothing again; a claim whose run died before sending (its own earlier attempt, or one past
 * the lease) is sent by the next run. The bulletin's reporting table and `duban status` read
 * the dates from here.
 */

/** The recipient key of the office's summary (departments use their id). */
export const OFFICE = '_office';

export interface ReminderClaim {
  readonly period: string;
  /** The point's id within the period: d-2, d0, d+1 … */
  readonly point: string;
  /** Department id, or OFFICE for the summary. */
  readonly recipient: string;
  /** ISO instant the point was scheduled for. */
  readonly scheduledFor: string;
  readonly claimedAt: string;
  readonly to: readonly string[];
  readonly runId?: string;
}

export interface ReminderSent {
  readonly at: string;
  readonly messageId: string;
}

export interface ReminderRecord extends ReminderClaim {
  readonly sent?: ReminderSent;
}

export type ReminderEntry =
  | ({ readonly entry: 'claim' } & ReminderClaim)
  | ({
      readonly entry: 'sent';
      readonly period: string;
      readonly point: string;
      readonly recipient: string;
    } & ReminderSent);

export const reminderEntrySchema = z.discriminatedUnion('entry', [
  z.object({
    entry: z.literal('claim'),
    period: z.string(),
    point: z.string(),
    recipient: z.string(),
    scheduledFor: z.string(),
    claimedAt: z.string(),
    to: z.array(z.string()),
    runId: z.optional(z.string()),
  }),
  z.object({
    entry: z.literal('sent'),
    period: z.string(),
    point: z.string(),
    recipient: z.string(),
    at: z.string(),
    messageId: z.string(),
  }),
]);

/** Claims with their send, in the order they were scheduled. */
export function foldReminders(entries: readonly ReminderEntry[]): ReminderRecord[] {
  const sends = new Map<string, ReminderSent>();
  for (const e of entries) {
    if (e.entry === 'sent') sends.set(`${e.point}#${e.recipient}`, { at: e.at, messageId: e.messageId });
  }
  return entries
    .filter((e) => e.entry === 'claim')
    .map(({ entry: _entry, ...claim }) => {
      const sent = sends.get(`${claim.point}#${claim.recipient}`);
      return sent ? { ...claim, sent } : claim;
    })
    .sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor) || a.recipient.localeCompare(b.recipient));
}

/**
 * dept → the points it was reminded at (the scheduled instants, which are what a reminder is
 * called by: "the 4 July reminder"), oldest first; only reminders that went out, scheduled no
 * later than `asOf`.
 */
export function remindedAt(records: readonly ReminderRecord[], asOf: Date): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of records) {
    if (r.recipient === OFFICE || !r.sent || Date.parse(r.scheduledFor) > asOf.getTime()) continue;
    out.set(r.recipient, [...(out.get(r.recipient) ?? []), r.scheduledFor]);
  }
  return out;
}
