import type { ParsedWorkbook } from '../../core/ingest/parsed-workbook.ts';
import type { Problem } from '../../core/ingest/problems.ts';
import type { Receipt } from '../../core/ingest/receipt.ts';
import type { GuardLimits } from '../../core/ingest/upload-limits.ts';

/**
 * Ingest ports: reading a department's workbook and handing it back annotated. The reader
 * guards and inflates the upload once; the annotated copy edits the same inflated parts.
 */

/** The parts of the uploaded zip, each inflated at most once for the whole ingest. */
export interface UploadParts {
  /** The upload as received. */
  readonly bytes: Uint8Array;
  /** Part names in the order the zip lists them. */
  names(): readonly string[];
  /** A part's bytes, inflated under the limits on first use and kept; throws for a damaged part. */
  inflate(name: string): Uint8Array;
}

/** A workbook as read: the cells validation needs, and the parts the annotated copy edits. */
export interface ReadUpload {
  readonly workbook: ParsedWorkbook;
  readonly parts: UploadParts;
}

export type WorkbookRead =
  | { readonly kind: 'read'; readonly upload: ReadUpload }
  /** The file is not a workbook duban will read (too large, a bomb, encrypted, malformed …). */
  | { readonly kind: 'rejected'; readonly problem: Problem };

export interface WorkbookReader {
  /** The limits the reader enforces; ingest refuses a larger object before fetching it. */
  readonly limits: GuardLimits;
  read(bytes: Uint8Array): WorkbookRead;
}

export interface AnnotatedCopyWriter {
  /**
   * The department's workbook with every problem cell highlighted and commented and a 回执
   * sheet; undefined when a part the reader did not need turns out damaged (the receipt then
   * goes out without the copy).
   */
  write(upload: ReadUpload, receipt: Receipt): Promise<Uint8Array | undefined>;
}
