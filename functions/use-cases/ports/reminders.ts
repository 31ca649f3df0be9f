import type { CatalogVersion } from '../../core/catalog/catalog-schema.ts';
import type { ReminderClaim, ReminderRecord, ReminderSent } from '../../core/reminders/reminder-ledger.ts';
import type { Submission } from '../../core/submission.ts';

/** Reminder ports: the record of 催报 mails, and the department's template to attach. */

export interface ReminderLedger {
  /** Creates the claim; false when one exists already for the period, point and recipient. */
  claim(claim: ReminderClaim): Promise<boolean>;
  /** Records the send; repeating it changes nothing. */
  sent(period: string, point: string, recipient: string, entry: ReminderSent): Promise<void>;
  /** Every reminder of the period, oldest point first. */
  list(period: string): Promise<ReminderRecord[]>;
}

/** The department's monthly workbook, as `duban template` writes it. */
export type TemplateBuilder = (request: {
  readonly catalog: CatalogVersion;
  readonly dept: string;
  readonly period: string;
  /** Last month's accepted submission, which pre-fills the template. */
  readonly previous?: Submission;
  readonly now: Date;
}) => Promise<Uint8Array>;
