import { constants, inflateRawSync } from 'node:zlib';
import { Inflate } from 'fflate';
import { type Problem, problem } from '../../core/ingest/problems.ts';
import { DEFAULT_LIMITS, fileTooLarge, type GuardLimits } from '../../core/ingest/upload-limits.ts';

/**
 * The gate in front of every workbook parser, enforcing core/ingest/upload-limits.ts: the
 * zip directory is checked before anything is inflated, and entries are inflated later in
 * small steps with a hard output cap, because a directory can lie about sizes.
 */

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly encrypted: boolean;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

/** A container refused: carries the problem the receipt shows. */
export class WorkbookRejectedError extends Error {
  override readonly name = 'WorkbookRejectedError';
  constructor(readonly problem: Problem) {
    super(problem.message_en);
  }
}

const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

function reject(code: Problem['code'], zh: string, en: string, value?: string | number): never {
  throw new WorkbookRejectedError(problem({ code, zh, en, value }));
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** An OLE2 file is either a legacy .xls or an encrypted OOXML package (EncryptionInfo stream). */
function containsUtf16(bytes: Uint8Array, text: string): boolean {
  const needle = Buffer.from(text, 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle);
}

function readDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const minEocd = 22;
  let eocd = -1;
  for (let i = bytes.length - minEocd; i >= Math.max(0, bytes.length - minEocd - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    reject(
      'zip-corrupt',
      '文件已损坏或不完整(找不到压缩目录),请重新保存后上传',
      'the file is damaged or truncated (no zip directory); save it again and re-upload',
    );
  }
  const count = view.getUint16(eocd + 10, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  const entries: ZipEntry[] = [];
  let p = dirOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL_SIGNATURE) {
      reject(
        'zip-corrupt',
        '文件已损坏(压缩目录不完整),请重新保存后上传',
        'the file is damaged (broken zip directory); save it again and re-upload',
      );
    }
    const flags = view.getUint16(p + 8, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    entries.push({
      name: Buffer.from(bytes.subarray(p + 46, p + 46 + nameLength)).toString('utf8'),
      method: view.getUint16(p + 10, true),
      encrypted: (flags & 1) === 1,
      compressedSize: view.getUint32(p + 20, true),
      uncompressedSize: view.getUint32(p + 24, true),
      localHeaderOffset: view.getUint32(p + 42, true),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const MB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * Refuses what must never reach a parser, each with its own reason; returns the zip
 * directory of an acceptable workbook.
 */
export function guardWorkbook(bytes: Uint8Array, limits: GuardLimits = DEFAULT_LIMITS): ZipEntry[] {
  if (bytes.length === 0) reject('file-empty', '文件为空', 'the file is empty');
  if (bytes.length > limits.maxFileBytes) throw new WorkbookRejectedError(fileTooLarge(bytes.length, limits));
  if (startsWith(bytes, OLE2_MAGIC)) {
    if (containsUtf16(bytes, 'EncryptionInfo')) {
      reject(
        'encrypted-workbook',
        '文件设置了打开密码(已加密),系统无法读取,请取消密码后重新上传',
        'the workbook is password-protected (encrypted); remove the password and upload again',
      );
    }
    reject(
      'legacy-xls',
      '这是旧版 .xls 格式,请在 WPS/Excel/LibreOffice 中「另存为」Excel 工作簿(.xlsx)后上传',
      'this is a legacy .xls file; in WPS, Excel or LibreOffice use "Save As" Excel workbook (.xlsx) and upload that',
    );
  }
  if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    reject(
      'not-a-workbook',
      '文件不是 Excel 工作簿(.xlsx),CSV、文本、PDF 等格式不能接收,请使用下载的模板',
      'the file is not an Excel workbook (.xlsx); CSV, text, PDF and the like are not accepted; use the downloaded template',
    );
  }
  const entries = readDirectory(bytes);
  if (entries.length > limits.maxEntries) {
    reject(
      'zip-too-many-entries',
      `工作簿包含 ${entries.length} 个内部文件,超过上限 ${limits.maxEntries},不是正常的填报模板`,
      `the workbook holds ${entries.length} parts, over the limit of ${limits.maxEntries}; not a normal template`,
      entries.length,
    );
  }
  let total = 0;
  for (const entry of entries) {
    if (entry.encrypted) {
      reject(
        'zip-entry-encrypted',
        `工作簿内部文件 ${entry.name} 已加密,系统无法读取`,
        `the workbook part ${entry.name} is encrypted and cannot be read`,
        entry.name,
      );
    }
    if (/(^|\/)vbaProject\.bin$/i.test(entry.name)) {
      reject(
        'macro-enabled',
        '工作簿含有宏(VBA),出于安全考虑不能接收,请另存为不含宏的 .xlsx 后上传',
        'the workbook contains macros (VBA) and is refused for safety; save it as a macro-free .xlsx',
        entry.name,
      );
    }
    total += entry.uncompressedSize;
  }
  if (total > limits.maxTotalUncompressed) {
    reject(
      'zip-too-large-uncompressed',
      `工作簿解压后达 ${MB(total)},超过上限 ${MB(limits.maxTotalUncompressed)},已拒收`,
      `the workbook inflates to ${MB(total)}, over the ${MB(limits.maxTotalUncompressed)} limit; refused`,
      total,
    );
  }
  for (const entry of entries) {
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > limits.ratioExemptBytes && ratio > limits.maxRatio) {
      reject(
        'zip-ratio-too-high',
        `工作簿内部文件 ${entry.name} 压缩比异常(${Math.round(ratio)} 倍),疑似压缩炸弹,已拒收`,
        `the part ${entry.name} has an abnormal compression ratio (${Math.round(ratio)}×), likely a zip bomb; refused`,
        Math.round(ratio),
      );
    }
  }
  const overall = total / bytes.length;
  if (total > limits.ratioExemptBytes && overall > limits.maxRatio) {
    reject(
      'zip-ratio-too-high',
      `工作簿整体压缩比异常(${Math.round(overall)} 倍),疑似压缩炸弹,已拒收`,
      `the workbook's overall compression ratio is abnormal (${Math.round(overall)}×), likely a zip bomb; refused`,
      Math.round(overall),
    );
  }
  return entries;
}

/**
 * Input is fed to the inflater in steps, and deflate expands at most ~1032×, so a step of
 * declared ÷ 1024 bounds each burst of output near the declared size: an entry whose
 * directory understates its size is stopped after about one step of overshoot.
 */
function inflateStep(declared: number): number {
  return Math.min(256 * 1024, Math.max(1024, Math.floor(declared / 1024)));
}

/** An entry's stored (compressed) bytes, after its local header; stored or deflated only. */
function entryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_SIGNATURE) {
    reject(
      'zip-corrupt',
      `工作簿内部文件 ${entry.name} 已损坏`,
      `the workbook part ${entry.name} is damaged`,
    );
  }
  if (entry.method !== 0 && entry.method !== 8) {
    reject(
      'zip-corrupt',
      `工作簿内部文件 ${entry.name} 使用了不支持的压缩方式`,
      `the part ${entry.name} uses an unsupported compression method (${entry.method})`,
    );
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  return bytes.subarray(start, start + entry.compressedSize);
}

/**
 * What the first `compressedBytes` of an entry's data inflate to, in one call to the
 * runtime's zlib (several times faster than streaming the same bytes through fflate, which
 * matters where a sheet is only counted): a cut stream yields what it holds so far. Output
 * beyond the size the directory declared is refused as a bomb, as in inflateEntry.
 */
export function inflatePrefix(bytes: Uint8Array, entry: ZipEntry, compressedBytes: number): Uint8Array {
  const data = entryData(bytes, entry);
  const input = data.subarray(0, compressedBytes);
  if (entry.method === 0) return input;
  try {
    return inflateRawSync(input, {
      finishFlush: constants.Z_SYNC_FLUSH,
      // Large output chunks: fewer buffers to join when a prefix inflates to tens of megabytes.
      chunkSize: 1024 * 1024,
      // One byte more than declared tells a lying directory from an honest one.
      maxOutputLength: entry.uncompressedSize + 1,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      reject(
        'zip-size-mismatch',
        `工作簿内部文件 ${entry.name} 解压后超过其声明的大小,疑似压缩炸弹,已拒收`,
        `the part ${entry.name} inflates beyond its declared size, likely a zip bomb; refused`,
        entry.name,
      );
    }
    reject(
      'zip-corrupt',
      `工作簿内部文件 ${entry.name} 已损坏,无法解压`,
      `the part ${entry.name} is damaged and cannot be inflated`,
    );
  }
}

/**
 * Streams one entry's inflated bytes to `onChunk`, refusing output beyond the size the
 * directory declared (a lying directory is how bombs slip past a header check). `onChunk`
 * answering false stops the inflation there (the caller has read what it needed).
 */
export function inflateEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
  onChunk: (chunk: Uint8Array) => unknown,
): void {
  const data = entryData(bytes, entry);
  if (entry.method === 0) {
    onChunk(data);
    return;
  }
  let produced = 0;
  let stopped = false;
  const inflater = new Inflate((chunk) => {
    if (stopped) return;
    produced += chunk.length;
    if (produced > entry.uncompressedSize) {
      reject(
        'zip-size-mismatch',
        `工作簿内部文件 ${entry.name} 解压后超过其声明的大小,疑似压缩炸弹,已拒收`,
        `the part ${entry.name} inflates beyond its declared size, likely a zip bomb; refused`,
        entry.name,
      );
    }
    if (onChunk(chunk) === false) stopped = true;
  });
  try {
    const step = inflateStep(entry.uncompressedSize);
    let i = 0;
    do {
      inflater.push(data.subarray(i, i + step), i + step >= data.length);
      i += step;
    } while (i < data.length && !stopped);
  } catch (error) {
    if (error instanceof WorkbookRejectedError) throw error;
    reject(
      'zip-corrupt',
      `工作簿内部文件 ${entry.name} 已损坏,无法解压`,
      `the part ${entry.name} is damaged and cannot be inflated`,
    );
  }
}
