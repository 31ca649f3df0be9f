import type { Receipt } from '../../core/ingest/receipt.ts';
import { receiptMail } from '../../core/ingest/receipt-mail.ts';
import { parsePeriod } from '../../core/submission.ts';
import type { MailAttachment, Mailer, SentMail } from '../ports/bulletin.ts';
import type { CatalogStore } from '../ports/storage.ts';
import { type FetchedUpload, XLSX_TYPE } from './fetch-upload.ts';

export interface ReceiptMailDeps {
  readonly catalogs: CatalogStore;
  readonly mailer: Mailer;
  readonly portalUrl?: string;
}

/** Why no mail went out, for the log. */
export type ReceiptMailOutcome =
  | { readonly kind: 'sent'; readonly to: readonly string[]; readonly mail: SentMail }
  | { readonly kind: 'skipped'; readonly reason: string };

/** "三月 报送.xlsx" from incoming/<dept>/<period>/三月 报送.xlsx. */
function fileNameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** The annotated copy's name as the department will see it: its own file name, marked. */
export function annotatedName(fileName: string): string {
  const stem = fileName.replace(/\.xlsx$/i, '');
  return `${stem}-问题批注.xlsx`;
}

/**
 * Step 6: answer the department by mail — the receipt in words, and for a rejected upload the
 * annotated workbook attached — to the department's contacts in the catalog. The caller sends
 * it once per upload event (after the audit event was first appended), so a redelivered event
 * does not mail twice.
 */
export async function mailReceipt(
  deps: ReceiptMailDeps,
  fetched: FetchedUpload,
  receipt: Receipt,
  annotated: Uint8Array | undefined,
): Promise<ReceiptMailOutcome> {
  const dept = receipt.dept ?? fetched.place.dept;
  const year = receipt.catalog?.year ?? parsePeriod(receipt.period ?? fetched.place.period)?.year;
  const catalog = year === undefined ? undefined : await deps.catalogs.get(year);
  if (!catalog) return { kind: 'skipped', reason: `no catalog for ${year ?? 'the upload'}` };
  const department = catalog.catalog.departments.find((d) => d.id === dept);
  const to = department?.emails ?? [];
  if (to.length === 0) return { kind: 'skipped', reason: `no contact address for ${dept} in the catalog` };
  const fileName = fileNameOf(fetched.upload.key);
  const attachments: MailAttachment[] =
    receipt.status === 'rejected' && annotated
      ? [{ filename: annotatedName(fileName), content: annotated, contentType: XLSX_TYPE }]
      : [];
  const words = receiptMail({
    receipt,
    district: catalog.catalog.district,
    deptName: department?.name ?? dept,
    fileName,
    ...(attachments[0] ? { annotatedName: attachments[0].filename } : {}),
    ...(deps.portalUrl ? { portalUrl: deps.portalUrl } : {}),
  });
  const mail = await deps.mailer.send({ to, subject: words.subject, text: words.text, attachments });
  return { kind: 'sent', to, mail };
}
