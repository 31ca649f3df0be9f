import { InputRejectedError } from '../errors.ts';

/**
 * A work report as bytes → text. Many government sites still serve GB18030 (GBK), so a file that
 * is not valid UTF-8 is read as GB18030; a file that is neither is rejected rather than guessed.
 */

export type ReportEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface DecodedReport {
  readonly text: string;
  readonly encoding: ReportEncoding;
}

function strictDecode(encoding: ReportEncoding, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Share of characters in the CJK ideograph block: real report text is mostly Chinese. */
function cjkShare(text: string): number {
  let cjk = 0;
  let letters = 0;
  for (const ch of text) {
    if (/\s/.test(ch)) continue;
    letters++;
    if (/\p{Script=Han}/u.test(ch)) cjk++;
  }
  return letters === 0 ? 0 : cjk / letters;
}

export function decodeReport(bytes: Uint8Array, fileName: string): DecodedReport {
  if (bytes.length === 0) throw new InputRejectedError(`${fileName}: the report is empty`);
  const bom = (a: number, b: number) => bytes[0] === a && bytes[1] === b;
  if (bom(0xff, 0xfe) || bom(0xfe, 0xff)) {
    const encoding = bom(0xff, 0xfe) ? 'utf-16le' : 'utf-16be';
    const text = strictDecode(encoding, bytes);
    if (text !== undefined) return { text, encoding };
  }
  const utf8 = strictDecode('utf-8', bytes);
  if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8' };
  const gb = strictDecode('gb18030', bytes);
  // GB18030 maps almost every byte sequence to something: only accept text that reads as Chinese.
  if (gb !== undefined && cjkShare(gb) >= 0.3) return { text: gb, encoding: 'gb18030' };
  throw new InputRejectedError(
    `${fileName}: the report is neither UTF-8 nor GB18030 text (save it as plain text in one of them) / 报告文件既不是 UTF-8 也不是 GB18030 编码的纯文本`,
  );
}
