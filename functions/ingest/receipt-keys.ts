import { keys } from '../../lib/resources.ts';

/**
 * Where an upload's receipt, annotated copy and quarantined original go. Named by the
 * upload's file name and content hash, so a redelivered event rewrites the same objects
 * and the CLI knows where to look for the receipt of the bytes it just uploaded.
 */
export interface ReceiptKeys {
  readonly json: string;
  readonly annotated: string;
  readonly quarantine: string;
  readonly quarantineReceipt: string;
}

export function receiptKeys(dept: string, period: string, file: string, sha256: string): ReceiptKeys {
  const base = `${file.replace(/\.[^./]*$/, '')}.${sha256.slice(0, 16)}`;
  return {
    json: keys.receipt(dept, period, `${base}.receipt.json`),
    annotated: keys.receipt(dept, period, `${base}.annotated.xlsx`),
    quarantine: keys.quarantine(dept, period, `${base}${/\.[^./]*$/.exec(file)?.[0] ?? ''}`),
    quarantineReceipt: keys.quarantine(dept, period, `${base}.receipt.json`),
  };
}

/** Extension used for the raw copy: the upload's own, when it is a plain one. */
export function rawExtension(file: string): string {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(file)?.[1]?.toLowerCase();
  return ext ?? 'bin';
}
