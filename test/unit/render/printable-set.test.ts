import { describe, expect, it } from 'vitest';
import { printableCodePoints } from '../../../functions/adapters/pdf/font-catalog.ts';
import { findMissingGlyphs } from '../../../functions/adapters/pdf/tofu-check.ts';
import { PRINTABLE_ASTRAL, PRINTABLE_BMP } from '../../../functions/core/text/printable-set.ts';
import {
  encodePrintableSet,
  isPrintable,
  printableText,
  unprintableCharacters,
} from '../../../functions/core/text/printable-text.ts';

describe('printable set', () => {
  it('is the committed copy of what the installed bulletin font draws (run scripts/make-printable-set.ts after a font upgrade)', () => {
    // Act
    const fromFont = encodePrintableSet(printableCodePoints());

    // Assess
    expect(fromFont.bmp).toBe(PRINTABLE_BMP);
    expect(fromFont.astral).toEqual(PRINTABLE_ASTRAL);
  }, 60_000);

  it('calls common Chinese, digits and punctuation printable, and emoji and Extension B not', () => {
    // Act / Assess
    for (const ch of '受强降雨影响，进度略有滞后。ABC 123%（）〔〕') expect(isPrintable(ch)).toBe(true);
    expect(unprintableCharacters('滞后😷😷，吉𠮷')).toEqual(['😷', '𠮷']);
  });

  it('makes text the strict glyph check passes in every weight, keeping what the font draws', () => {
    // Prepare
    const typed = '受强降雨影响，进度略有滞后😷，负责人𠮷（👍🏻）';

    // Act
    const printed = printableText(typed);

    // Assess
    expect(printed).toEqual({
      text: '受强降雨影响，进度略有滞后〔U+1F637〕，负责人〔U+20BB7〕（〔U+1F44D U+1F3FB〕）',
      substituted: true,
    });
    expect(findMissingGlyphs(new Map([[400, typed]]))).not.toEqual([]);
    expect(
      findMissingGlyphs(
        new Map([
          [400, printed.text],
          [700, printed.text],
        ]),
      ),
    ).toEqual([]);
    expect(printableText('按计划推进')).toEqual({ text: '按计划推进', substituted: false });
  });
});
