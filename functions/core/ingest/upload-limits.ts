import { LIMITS, utf8Bytes } from '../../shared/limits.ts';
import { type Problem, problem } from './problems.ts';

/**
 * How much of an upload duban is willing to look at. An .xlsx is a zip whose central
 * directory says how many entries it holds and how large they inflate, so these limits refuse
 * a zip bomb (400 MB in a 415 KB file) from a few hundred bytes of directory. Policy, not
 * mechanism: the reader enforces them, and ingest refuses an oversized object from its size
 * alone, before fetching it.
 */
export interface GuardLimits {
  readonly maxFileBytes: number;
  readonly maxEntries: number;
  readonly maxTotalUncompressed: number;
  /** Largest allowed uncompressed ÷ compressed, per entry and for the whole file. */
  readonly maxRatio: number;
  /** Entries below this uncompressed size are exempt from the ratio check (tiny XML compresses well). */
  readonly ratioExemptBytes: number;
  readonly maxRows: number;
}

/** The reader's share of functions/shared/limits.ts (tests pass smaller ones). */
export const DEFAULT_LIMITS: GuardLimits = {
  maxFileBytes: LIMITS.maxUploadBytes,
  maxEntries: LIMITS.maxZipEntries,
  maxTotalUncompressed: LIMITS.maxUncompressedBytes,
  maxRatio: LIMITS.maxCompressionRatio,
  ratioExemptBytes: LIMITS.ratioExemptBytes,
  maxRows: LIMITS.maxSheetRows,
};

const MB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** The problem of a file over the size limit; also used before downloading, from the object's size. */
export function fileTooLarge(size: number, limits: GuardLimits = DEFAULT_LIMITS): Problem {
  return problem({
    code: 'file-too-large',
    zh: `文件 ${MB(size)} 超过上限 ${MB(limits.maxFileBytes)},请只上传本单位的填报模板`,
    en: `the file is ${MB(size)}, over the ${MB(limits.maxFileBytes)} limit; upload only your department's template`,
    value: size,
  });
}

/**
 * The problem of an upload whose key is too long to answer under: its file name past
 * LIMITS.maxUploadNameBytes, or a department or period segment past LIMITS.maxKeySegmentBytes.
 * The receipt goes to a shortened key (storage-keys' uploadOutputs), so it always arrives.
 */
export function uploadNameTooLong(place: {
  readonly dept: string;
  readonly period: string;
  readonly file: string;
}): Problem | undefined {
  const name = utf8Bytes(place.file);
  if (name > LIMITS.maxUploadNameBytes) {
    return problem({
      code: 'upload-name-too-long',
      zh: `文件名过长(${name} 字节,上限 ${LIMITS.maxUploadNameBytes} 字节,约 ${Math.floor(LIMITS.maxUploadNameBytes / 3)} 个汉字),请改短文件名后重新上传`,
      en: `the file name is ${name} bytes long, over the limit of ${LIMITS.maxUploadNameBytes}; rename the file and upload it again`,
      value: name,
    });
  }
  const segment = [place.dept, place.period].find((s) => utf8Bytes(s) > LIMITS.maxKeySegmentBytes);
  if (segment === undefined) return undefined;
  return problem({
    code: 'upload-name-too-long',
    zh: `上传位置中的单位或月份过长(${utf8Bytes(segment)} 字节,上限 ${LIMITS.maxKeySegmentBytes}),请通过报送页面或 npx duban ingest 上传`,
    en: `the department or period in the upload key is ${utf8Bytes(segment)} bytes long, over the limit of ${LIMITS.maxKeySegmentBytes}; upload through the portal or npx duban ingest`,
    value: utf8Bytes(segment),
  });
}
