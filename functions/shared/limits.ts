/**
 * Every limit duban holds an upload, a receipt or a stored record to, in one place: the
 * ingest use case, the workbook reader, the CLI and the portal read them from here, and the
 * README's "Limits" table states them (a test keeps the two equal). A limit is a promise to
 * the district: no single department's file can stop the pipeline or another department.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

export const LIMITS = {
  /** Largest upload accepted (bytes); larger objects are refused from their size, unread. */
  maxUploadBytes: 20 * MiB,
  /** Parts inside the .xlsx zip. */
  maxZipEntries: 500,
  /** All parts inflated together (bytes). */
  maxUncompressedBytes: 200 * MiB,
  /** Largest inflated ÷ compressed size of a part or the whole file (zip-bomb guard)… */
  maxCompressionRatio: 100,
  /** …for parts larger than this (small XML compresses well and is exempt). */
  ratioExemptBytes: 1 * MiB,
  /** Rows of a sheet, from its <dimension> or counted while reading. */
  maxSheetRows: 100_000,

  /** 情况说明 longer than this many characters gets a warning (the bulletin prints it whole)… */
  noteWarnChars: 200,
  /** …and longer than this is an error. */
  maxNoteChars: 500,
  /** 填报人 / 审核人 / 联系电话: longer entries are an error. */
  maxContactChars: 40,

  /** Problems a receipt lists per kind (errors, warnings); the rest are counted. The S3 receipt keeps all. */
  receiptProblemsListed: 200,
  /** Cell text quoted in a problem is cut to this many characters. */
  problemQuoteChars: 60,

  /** Upload file name (UTF-8 bytes); a longer name is rejected with a receipt under a shortened one. */
  maxUploadNameBytes: 160,
  /**
   * Department and period segments of an upload key (UTF-8 bytes each). With the name limit
   * this keeps every key an upload is answered under far inside S3's 1,024 bytes.
   */
  maxKeySegmentBytes: 64,

  /** DynamoDB refuses items over 400 KB; items are kept under this, larger parts go to S3. */
  maxTableItemBytes: 300 * KiB,
} as const;

export type Limits = typeof LIMITS;

/** UTF-8 length of a string, as S3 and DynamoDB count it. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The longest prefix of `text` within `maxBytes` UTF-8 bytes, never splitting a character. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const size = utf8Bytes(ch);
    if (used + size > maxBytes) break;
    out += ch;
    used += size;
  }
  return out;
}
