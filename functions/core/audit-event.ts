import * as z from 'zod/mini';

/** Who changed what when: the append-only audit log auditors read (`duban audit log`). */

export const AUDIT_ACTIONS = [
  'catalog.loaded',
  'submission.accepted',
  'submission.corrected',
  'submission.unchanged',
  'submission.rejected',
  'bulletin.issued',
  'bulletin.unchanged',
  'bulletin.delivered',
  'bulletin.failed',
  'user.added',
  'user.disabled',
  'reminder.sent',
  'archive.chain-initialised',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  /** Deterministic id of the cause (e.g. the S3 object key + etag), so redelivery appends nothing. */
  readonly eventId: string;
  /** ISO time. */
  readonly at: string;
  readonly action: AuditAction;
  readonly actor: string;
  /** YYYY-MM, or the catalog year for catalog events. */
  readonly period: string;
  readonly dept?: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export const auditEventSchema = z.object({
  eventId: z.string(),
  at: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  actor: z.string(),
  period: z.string(),
  dept: z.optional(z.string()),
  detail: z.record(z.string(), z.unknown()),
});
