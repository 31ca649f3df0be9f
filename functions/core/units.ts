import { Decimal } from 'decimal.js';
import { CHINESE_NUMERAL_CHARS, parseChineseNumeral } from './chinese-numerals.ts';
import { DubanError } from './errors.ts';

/**
 * Units as the work report writes them. Values are stored in the indicator's own unit;
 * a department may write any unit of the same family (1773000万元 in a 亿元 row) and the
 * value is converted exactly (decimal arithmetic, so 1773000万元 is 177.3, not 177.29999…).
 */

interface UnitEntry {
  readonly family: string;
  /** Size of one unit in the family's base unit. */
  readonly factor: number;
  /** Whether 万/亿 may be prefixed (counts yes; %, ranks and stages no). */
  readonly scalable: boolean;
}

const UNITS: Readonly<Record<string, UnitEntry>> = {
  元: { family: 'money', factor: 1, scalable: false },
  万元: { family: 'money', factor: 1e4, scalable: false },
  亿元: { family: 'money', factor: 1e8, scalable: false },
  人次: { family: 'person-time', factor: 1, scalable: true },
  户: { family: 'household', factor: 1, scalable: true },
  人: { family: 'person', factor: 1, scalable: true },
  名: { family: 'person', factor: 1, scalable: true },
  亩: { family: 'area-mu', factor: 1, scalable: true },
  '%': { family: 'percent', factor: 1, scalable: false },
  个: { family: 'count-ge', factor: 1, scalable: true },
  家: { family: 'count-jia', factor: 1, scalable: true },
  条: { family: 'count-tiao', factor: 1, scalable: true },
  件: { family: 'count-jian', factor: 1, scalable: true },
  项: { family: 'count-xiang', factor: 1, scalable: true },
  起: { family: 'count-qi', factor: 1, scalable: true },
  批次: { family: 'count-pici', factor: 1, scalable: true },
  位: { family: 'rank', factor: 1, scalable: false },
  // Units a drafted catalog proposes from the report's text (duban catalog draft).
  百分点: { family: 'percent', factor: 1, scalable: false },
  美元: { family: 'money-usd', factor: 1, scalable: false },
  万美元: { family: 'money-usd', factor: 1e4, scalable: false },
  亿美元: { family: 'money-usd', factor: 1e8, scalable: false },
  所: { family: 'count-suo', factor: 1, scalable: true },
  座: { family: 'count-zuo', factor: 1, scalable: true },
  套: { family: 'count-tao', factor: 1, scalable: true },
  台: { family: 'count-tai', factor: 1, scalable: true },
  辆: { family: 'count-liang', factor: 1, scalable: true },
  处: { family: 'count-chu', factor: 1, scalable: true },
  场: { family: 'count-chang', factor: 1, scalable: true },
  次: { family: 'count-ci', factor: 1, scalable: true },
  件次: { family: 'count-jianci', factor: 1, scalable: true },
  天: { family: 'days', factor: 1, scalable: false },
  米: { family: 'length', factor: 1, scalable: true },
  千米: { family: 'length', factor: 1e3, scalable: false },
  公里: { family: 'length', factor: 1e3, scalable: true },
  平方米: { family: 'area', factor: 1, scalable: true },
  平方公里: { family: 'area', factor: 1e6, scalable: false },
  公顷: { family: 'area', factor: 1e4, scalable: true },
  吨: { family: 'mass', factor: 1, scalable: true },
  千瓦: { family: 'power', factor: 1, scalable: true },
  千瓦时: { family: 'energy', factor: 1, scalable: true },
  阶段: { family: 'stage', factor: 1, scalable: false },
};

const MULTIPLIERS: Readonly<Record<string, number>> = { 万: 1e4, 亿: 1e8 };

/** Enough digits that a double survives a power-of-ten conversion and back unchanged. */
const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

export class IncompatibleUnitError extends DubanError {
  override readonly name: string = 'IncompatibleUnitError';
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`unit ${from} cannot be converted to ${to}`);
  }
}

function lookup(unit: string): UnitEntry | undefined {
  const direct = UNITS[unit];
  if (direct) return direct;
  // 亿元/平方公里, 万元/人: a ratio of two known units (地均产出, 人均收入).
  const per = unit.indexOf('/');
  if (per > 0) {
    const top = lookup(unit.slice(0, per));
    const bottom = lookup(unit.slice(per + 1));
    if (!top || !bottom || unit.indexOf('/', per + 1) >= 0) return undefined;
    return { family: `${top.family}/${bottom.family}`, factor: top.factor / bottom.factor, scalable: false };
  }
  const multiplier = MULTIPLIERS[unit.slice(0, 1)];
  const base = UNITS[unit.slice(1)];
  if (multiplier && base?.scalable) return { ...base, factor: base.factor * multiplier, scalable: false };
  return undefined;
}

/** The family of a unit (units of one family convert into each other), or undefined when unknown. */
export function unitFamily(unit: string): string | undefined {
  return lookup(normaliseText(unit))?.family;
}

export function areCompatible(a: string, b: string): boolean {
  const fa = unitFamily(a);
  return fa !== undefined && fa === unitFamily(b);
}

/**
 * Converts exactly between units of one family (exact for every figure of up to 15
 * significant digits, which is what a double holds faithfully); throws
 * IncompatibleUnitError across families.
 */
export function convertUnit(value: number, from: string, to: string): number {
  const a = lookup(normaliseText(from));
  const b = lookup(normaliseText(to));
  if (!a || !b || a.family !== b.family) throw new IncompatibleUnitError(from, to);
  if (a.factor === b.factor) return value;
  return new Exact(value).times(a.factor).div(b.factor).toNumber();
}

export type QuantityProblem = 'empty' | 'not-a-number' | 'unknown-unit' | 'incompatible-unit';

export type ParsedQuantity =
  | { readonly ok: true; readonly value: number; readonly unitWritten?: string }
  | {
      readonly ok: false;
      readonly reason: QuantityProblem;
      readonly message_zh: string;
      readonly message_en: string;
    };

/** Full-width digits, ％, ，and ． become ASCII (NFKC); the minus sign variants become '-'. */
function normaliseText(text: string): string {
  return text.normalize('NFKC').replace(/[−–—]/g, '-').replace(/\s+/g, '');
}

/**
 * A position written in Chinese numerals (一 … 九十九, as in 全市第五) becomes digits; other
 * text is returned unchanged.
 */
export function chineseOrdinalToDigits(text: string): string {
  const m = new RegExp(`^([${CHINESE_NUMERAL_CHARS}]+)(.*)$`).exec(text);
  const value = m?.[1] === undefined ? undefined : parseChineseNumeral(m[1]);
  return value === undefined ? text : `${value}${m?.[2] ?? ''}`;
}

const NUMBER_THEN_UNIT = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)(.*)$/;

/**
 * Parses what a department typed into a value in the indicator's unit. Accepts full-width
 * digits, thousands separators (well-formed groups only: "1,2345" is rejected, not read
 * as 12345), and a trailing unit, converted when it is of the indicator's family. A bare
 * 万 or 亿 after the number multiplies (11万 in a 户 row is 110000).
 */
export function parseQuantity(raw: string | number, indicatorUnit: string): ParsedQuantity {
  if (typeof raw === 'number') {
    if (Number.isFinite(raw)) return { ok: true, value: raw };
    return notANumber(String(raw));
  }
  const text = normaliseText(raw);
  if (text === '') {
    return { ok: false, reason: 'empty', message_zh: '未填写数值', message_en: 'no value given' };
  }
  // Ranks are often written 第5位 / 第5 / 第五位 (as the work report itself writes them).
  const isRank = lookup(indicatorUnit)?.family === 'rank';
  const ordinal = isRank && text.startsWith('第') ? text.slice(1) : text;
  const body = isRank ? chineseOrdinalToDigits(ordinal) : ordinal;
  const match = NUMBER_THEN_UNIT.exec(body);
  if (!match) return notANumber(raw);
  const numberText = (match[1] ?? '').replace(/,/g, '');
  const written = match[2] ?? '';
  // "1,2345" leaves ",2345" behind; "12.5.3" leaves ".3": both are malformed numbers, not units.
  if (/^[\d.,]/.test(written)) return notANumber(raw);
  const value = Number(numberText);
  if (!Number.isFinite(value)) return notANumber(raw);
  if (written === '') return { ok: true, value };

  const target = lookup(indicatorUnit);
  const multiplier = MULTIPLIERS[written];
  if (multiplier !== undefined && target?.scalable) {
    return { ok: true, value: new Exact(value).times(multiplier).toNumber(), unitWritten: written };
  }
  // 5000万 in a 亿元 row means 5000万元.
  if (multiplier !== undefined && target?.family === 'money') {
    return { ok: true, value: convertUnit(value, `${written}元`, indicatorUnit), unitWritten: written };
  }
  if (written === indicatorUnit) return { ok: true, value, unitWritten: written };
  const source = lookup(written);
  if (!source) {
    return {
      ok: false,
      reason: 'unknown-unit',
      message_zh: `无法识别的计量单位“${written}”（本指标计量单位为“${indicatorUnit}”）`,
      message_en: `unknown unit "${written}" (this indicator is measured in ${indicatorUnit})`,
    };
  }
  if (!target || source.family !== target.family) {
    return {
      ok: false,
      reason: 'incompatible-unit',
      message_zh: `计量单位“${written}”与本指标计量单位“${indicatorUnit}”不一致，无法换算`,
      message_en: `unit "${written}" cannot be converted to this indicator's unit ${indicatorUnit}`,
    };
  }
  return { ok: true, value: convertUnit(value, written, indicatorUnit), unitWritten: written };
}

function notANumber(raw: string): ParsedQuantity {
  return {
    ok: false,
    reason: 'not-a-number',
    message_zh: `“${raw}”不是有效的数值`,
    message_en: `"${raw}" is not a number`,
  };
}
