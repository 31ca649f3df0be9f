import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  areCompatible,
  chineseOrdinalToDigits,
  convertUnit,
  IncompatibleUnitError,
  parseQuantity,
  unitFamily,
} from '../../../functions/core/units.ts';
import { PROPERTY_TIMEOUT_MS, propertyRuns } from '../../support/property-runs.ts';

describe('parseQuantity', () => {
  it.each([
    [177.3, '亿元', 177.3],
    ['177.3', '亿元', 177.3],
    ['１７７．３', '亿元', 177.3],
    ['31,769', '户', 31769],
    ['31，769户', '户', 31769],
    ['1773000万元', '亿元', 177.3],
    ['17.73亿元', '亿元', 17.73],
    ['5000万', '亿元', 0.5],
    ['11万户', '万户', 11],
    ['110000户', '万户', 11],
    ['11万', '户', 110000],
    ['12.5%', '%', 12.5],
    ['12.5％', '%', 12.5],
    ['-3.2', '%', -3.2],
    ['－3.2%', '%', -3.2],
    ['第5位', '位', 5],
    ['第五', '位', 5],
    ['第一位', '位', 1],
    ['第十二位', '位', 12],
    ['二十', '位', 20],
    ['5', '位', 5],
    ['702万人次', '万人次', 702],
    ['7020000人次', '万人次', 702],
    [' 538 批次 ', '批次', 538],
  ])('reads %j in a %s row as %d', (raw, unit, expected) => {
    // Act
    const parsed = parseQuantity(raw, unit);

    // Assess
    expect(parsed).toMatchObject({ ok: true, value: expected });
  });

  it('records the unit the department wrote', () => {
    // Act
    const withUnit = parseQuantity('1773000万元', '亿元');
    const bare = parseQuantity('177.3', '亿元');

    // Assess
    expect(withUnit).toEqual({ ok: true, value: 177.3, unitWritten: '万元' });
    expect(bare).toEqual({ ok: true, value: 177.3 });
  });

  it.each([
    ['', '亿元', 'empty'],
    ['   ', '亿元', 'empty'],
    ['abc', '亿元', 'not-a-number'],
    ['1,2345', '户', 'not-a-number'],
    ['12.5.3', '%', 'not-a-number'],
    [Number.NaN, '个', 'not-a-number'],
    [Number.POSITIVE_INFINITY, '个', 'not-a-number'],
    ['200余', '起', 'unknown-unit'],
    ['702人次', '亿元', 'incompatible-unit'],
    ['12.5%', '个', 'incompatible-unit'],
    ['5个', '家', 'incompatible-unit'],
  ])('rejects %j in a %s row as %s, in Chinese and English', (raw, unit, reason) => {
    // Act
    const parsed = parseQuantity(raw, unit);

    // Assess
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toBe(reason);
    expect(parsed.message_zh).toMatch(/[\u4e00-\u9fff]/);
    expect(parsed.message_en).toMatch(/[a-z]/);
  });

  it('names both units when they cannot be converted', () => {
    // Act
    const parsed = parseQuantity('702人次', '亿元');

    // Assess
    expect(parsed).toMatchObject({
      ok: false,
      message_zh: '计量单位“人次”与本指标计量单位“亿元”不一致，无法换算',
      message_en: 'unit "人次" cannot be converted to this indicator\'s unit 亿元',
    });
  });
});

describe('convertUnit and unitFamily', () => {
  it('converts exactly within a family and refuses across families', () => {
    // Act
    const yi = convertUnit(1773000, '万元', '亿元');
    const yuan = convertUnit(0.3, '亿元', '元');
    const refuse = () => convertUnit(1, '亿元', '人次');

    // Assess
    expect(yi).toBe(177.3);
    expect(yuan).toBe(30000000);
    expect(refuse).toThrow(IncompatibleUnitError);
  });

  it('knows the families of the report units', () => {
    // Assess
    expect(unitFamily('亿元')).toBe(unitFamily('万元'));
    expect(unitFamily('万人次')).toBe(unitFamily('人次'));
    expect(unitFamily('万户')).toBe(unitFamily('户'));
    expect(unitFamily('％')).toBe('percent');
    expect(unitFamily('位')).toBe('rank');
    expect(unitFamily('公斤')).toBeUndefined();
    expect(areCompatible('个', '家')).toBe(false);
    expect(areCompatible('亩', '万亩')).toBe(true);
  });

  it('reads a ratio of two known units (地均产出 亿元/平方公里) and converts it exactly', () => {
    // Act
    const perKm2 = convertUnit(5.4, '亿元/平方公里', '万元/平方公里');

    // Assess
    expect(unitFamily('亿元/平方公里')).toBe('money/area');
    expect(perKm2).toBe(54000);
    expect(areCompatible('万元/人', '元/人')).toBe(true);
    expect(areCompatible('万元/人', '万元/户')).toBe(false);
    expect(unitFamily('亿元/公斤')).toBeUndefined();
    expect(unitFamily('元/人/年')).toBeUndefined();
  });

  it(
    'round-trips any typed figure (≤ 15 significant digits) through a family (property)',
    () => {
      // Prepare
      const pairs: [string, string][] = [
        ['亿元', '万元'],
        ['亿元', '元'],
        ['万元', '元'],
        ['万人次', '人次'],
        ['万户', '户'],
        ['万人', '人'],
      ];
      // A double holds 15 significant decimal digits faithfully; figures people type have fewer.
      const value = fc
        .tuple(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 6 }))
        .map(([digits, scale]) => digits / 10 ** scale);

      // Act / Assess
      fc.assert(
        fc.property(value, fc.constantFrom(...pairs), (v, [a, b]) => {
          expect(convertUnit(convertUnit(v, a, b), b, a)).toBe(v);
          expect(convertUnit(convertUnit(v, b, a), a, b)).toBe(v);
        }),
        propertyRuns('units: round trip', 100, 20230201),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'reads back what formatting with a unit wrote (property)',
    () => {
      // Prepare
      const amount = fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 100);

      // Act / Assess
      fc.assert(
        fc.property(amount, (v) => {
          const written = `${convertUnit(v, '亿元', '万元')}万元`;
          expect(parseQuantity(written, '亿元')).toEqual({ ok: true, value: v, unitWritten: '万元' });
        }),
        propertyRuns('units: formatted and read back', 100, 20230202),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('chineseOrdinalToDigits', () => {
  it.each([
    ['五', '5'],
    ['十', '10'],
    ['十一位', '11位'],
    ['二十三', '23'],
    ['九十九', '99'],
    ['两', '2'],
  ])('reads %s as %s', (text, expected) => {
    expect(chineseOrdinalToDigits(text)).toBe(expected);
  });

  it('leaves anything else alone, so it is rejected as not a number', () => {
    expect(chineseOrdinalToDigits('5')).toBe('5');
    expect(chineseOrdinalToDigits('待统计')).toBe('待统计');
    expect(chineseOrdinalToDigits('五三')).toBe('五三');
    expect(parseQuantity('第五三', '位')).toMatchObject({ ok: false, reason: 'not-a-number' });
    expect(parseQuantity('五', '个')).toMatchObject({ ok: false, reason: 'not-a-number' });
  });
});
