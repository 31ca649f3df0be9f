import { describe, expect, it } from 'vitest';
import {
  FONT_WEIGHTS,
  fontSlices,
  inlineFontFaceCss,
  slicesClaiming,
} from '../../../functions/adapters/pdf/font-catalog.ts';

describe('font slice lookup', () => {
  it('finds the same slices as a scan of every unicode-range, for every code point up to U+FFFF', () => {
    // Prepare: the obvious linear scan, as the reference.
    const scan = (cp: number, weight: number) =>
      fontSlices()
        .filter((s) => s.weight === weight && s.ranges.some(([lo, hi]) => cp >= lo && cp <= hi))
        .map((s) => s.file)
        .join();
    const differing: string[] = [];

    // Act
    for (const weight of FONT_WEIGHTS) {
      for (let cp = 0; cp <= 0xffff; cp += cp < 0x3000 ? 1 : 7) {
        const found = slicesClaiming(cp, weight)
          .map((s) => s.file)
          .join();
        if (found !== scan(cp, weight)) differing.push(`U+${cp.toString(16)}/${weight}`);
      }
    }

    // Assess
    expect(differing).toEqual([]);
    expect(slicesClaiming(0x41, 400).length).toBeGreaterThan(1);
  });

  it('gives each face once per text, with the same bytes for a page and for the FontFace API', () => {
    // Act
    const { css, files, faces } = inlineFontFaceCss('全区指标进度通报 ABC 123', [400, 700]);

    // Assess
    expect(faces.map((f) => f.key)).toEqual([...new Set(faces.map((f) => f.key))]);
    expect(faces).toHaveLength(files.length);
    for (const f of faces) expect(css).toContain(`base64,${f.base64}`);
    expect(new Set(faces.map((f) => f.weight))).toEqual(new Set([400, 700]));
  });
});
