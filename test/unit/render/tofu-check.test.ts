import { describe, expect, it } from 'vitest';
import {
  assertGlyphsCovered,
  assertOnlyBundledFonts,
  ForeignFontError,
  findMissingGlyphs,
  MissingGlyphError,
} from '../../../functions/adapters/pdf/tofu-check.ts';

describe('glyph coverage of the bundled Noto Sans SC', () => {
  it('covers the Chinese, digits and marks a bulletin prints, in both weights', () => {
    // Prepare
    const text = '全区34项指标中，28项达到序时进度（超进度▲ 欠进度▼ 严重滞后× 已完成★ 未报送○）—7.5%';

    // Act
    const missing = findMissingGlyphs(
      new Map([
        [400, text],
        [700, text],
      ]),
    );

    // Assess
    expect(missing).toEqual([]);
  });

  it('names each character the fonts lack, with its code point and weight', () => {
    // Prepare: a CJK Extension B character and a Hangul syllable are not in Noto Sans SC.
    const text = '报送𠀀情况한';

    // Act
    const missing = findMissingGlyphs(new Map([[400, text]]));

    // Assess
    expect(missing).toEqual(['𠀀 (U+20000, 400)', '한 (U+D55C, 400)']);
    expect(() => assertGlyphsCovered(new Map([[700, text]]), 'test doc')).toThrow(MissingGlyphError);
  });

  it('counts a character as missing when its slice was not given to the page', () => {
    // Act
    const missing = findMissingGlyphs(
      new Map([[400, '通报']]),
      new Set(['noto-sans-sc-latin-400-normal.woff2']),
    );

    // Assess
    expect(missing).toHaveLength(2);
  });
});

describe('fonts of a printed PDF', () => {
  const pdf = (fonts: string) => new TextEncoder().encode(`%PDF-1.4\n${fonts}\n%%EOF`);

  it('accepts embedded subsets of Noto Sans SC', () => {
    // Prepare
    const doc = pdf('<< /Type /Font /BaseFont /AAAAAA+NotoSansSC-Regular >>\n<< /FontFile2 5 0 R >>');

    // Act
    const info = assertOnlyBundledFonts(doc, 'test doc');

    // Assess
    expect(info.fontNames).toEqual(['AAAAAA+NotoSansSC-Regular']);
    expect(info.embeddedPrograms).toBe(1);
  });

  it('rejects a PDF where Chromium fell back to another font', () => {
    // Prepare
    const doc = pdf(
      '<< /BaseFont /AAAAAA+NotoSansSC-Regular >> << /BaseFont /BAAAAA+DejaVuSans >> << /FontFile2 5 0 R >>',
    );

    // Act / Assess
    expect(() => assertOnlyBundledFonts(doc, 'test doc')).toThrow(/DejaVuSans/);
    expect(() => assertOnlyBundledFonts(pdf('<< /BaseFont /NotoSansSC >>'), 'x')).toThrow(ForeignFontError);
  });
});
