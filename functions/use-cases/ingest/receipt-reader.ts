import { NotFoundError } from '../../core/errors.ts';
import type { Receipt } from '../../core/ingest/receipt.ts';
import { keys } from '../../shared/storage-keys.ts';
import type { ReceiptReader } from '../ports/portal.ts';
import type { ObjectStore } from '../ports/storage.ts';
import { readReceipt } from './submit-upload.ts';

/**
 * Receipts as the ingest handler writes them: receipts/<dept>/<period>/<base>.<sha16>.receipt.json,
 * where <base> is the upload's file name without extension — the upload id for portal
 * uploads. The JSON is written last, so its presence means the receipt is complete. Read over the
 * object-store port, as the CLI reads the receipt of its own upload.
 */
const RECEIPT_NAME = /^(.+)\.([0-9a-f]{16})\.receipt\.json$/;

export function createReceiptReader(objects: ObjectStore, bucket: string): ReceiptReader {
  const prefix = (dept: string, period: string) => `${keys.receiptsOf(dept)}${period}/`;

  const read = (key: string) => readReceipt(objects, bucket, key);

  /** Receipt keys under a department's month, newest object first, with the upload id each belongs to. */
  async function listed(dept: string, period: string, uploadId?: string) {
    const base = prefix(dept, period);
    const found = await objects.list(bucket, uploadId ? `${base}${uploadId}.` : base);
    return found
      .map((o) => ({
        key: o.key,
        at: o.lastModified?.getTime() ?? 0,
        match: RECEIPT_NAME.exec(o.key.slice(base.length)),
      }))
      .filter((x) => x.match !== null && !x.key.slice(base.length).includes('/'))
      .map((x) => ({ key: x.key, at: x.at, uploadId: x.match?.[1] ?? '' }))
      .filter((x) => uploadId === undefined || x.uploadId === uploadId)
      .sort((a, b) => b.at - a.at || b.key.localeCompare(a.key));
  }

  const newestFirst = (a: { receipt: Receipt }, b: { receipt: Receipt }) =>
    b.receipt.source.receivedAt.localeCompare(a.receipt.source.receivedAt);

  return {
    async find(dept, period, uploadId, sha256) {
      // The bytes are known: their receipt has a known name (as ingest names it).
      if (sha256) return read(keys.uploadOutputs({ dept, period, file: `${uploadId}.xlsx` }, sha256).json);
      const found = await listed(dept, period, uploadId);
      const receipts = (await Promise.all(found.map(async (f) => ({ receipt: await read(f.key) }))))
        .filter((r): r is { receipt: Receipt } => r.receipt !== undefined)
        .sort(newestFirst);
      return receipts[0]?.receipt;
    },
    async annotated(receipt) {
      if (!receipt.objects.annotated) throw new NotFoundError('this receipt has no annotated copy');
      return objects.get(bucket, receipt.objects.annotated);
    },
    async list(dept, period, limit) {
      const found = (await listed(dept, period)).slice(0, limit ?? Number.POSITIVE_INFINITY);
      const read_ = await Promise.all(
        found.map(async (f) => ({ uploadId: f.uploadId, receipt: await read(f.key) })),
      );
      return read_
        .filter((r): r is { uploadId: string; receipt: Receipt } => r.receipt !== undefined)
        .sort(newestFirst);
    },
  };
}
