import { LIMITS } from '../../shared/limits.ts';
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
