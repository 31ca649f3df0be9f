/** Chinese numerals as reports write counts and positions: 三, 十八, 二十三, 一百二十, 两, 首. */

const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const POWERS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

export const CHINESE_NUMERAL_CHARS = '零〇一二两三四五六七八九十百千';

/** The value of a Chinese numeral below 10,000, or undefined when `text` is not one. */
export function parseChineseNumeral(text: string): number | undefined {
  if (text === '') return undefined;
  if (text === '首') return 1;
  let total = 0;
  let digit: number | undefined;
  for (const ch of text) {
    const d = DIGITS[ch];
    if (d !== undefined) {
      if (digit !== undefined && digit !== 0) return undefined;
      digit = d;
      continue;
    }
    const p = POWERS[ch];
    if (p === undefined) return undefined;
    total += (digit ?? (total === 0 ? 1 : Number.NaN)) * p;
    digit = undefined;
  }
  total += digit ?? 0;
  return Number.isFinite(total) ? total : undefined;
}

/** A position written either way: 3, 三, 十二, 首. */
export function parseOrdinal(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  return parseChineseNumeral(text);
}
