import { DubanError } from '../../core/errors.ts';
import { codePointsOf, type FontWeight, sliceGlyphs, slicesClaiming } from './font-catalog.ts';

/** The document holds characters the bundled fonts cannot draw: the PDF would show empty boxes. */
export class MissingGlyphError extends DubanError {
  override readonly name: string = 'MissingGlyphError';
  constructor(
    /** Each missing character with its code point, e.g. "𠀀 (U+20000, 400)". */
    readonly characters: readonly string[],
    readonly document: string,
  ) {
    super(
      `${document}: ${characters.length} character(s) not covered by the embedded Noto Sans SC ` +
        `(PDF 中以下字符无字形，将显示为方框): ${characters.slice(0, 20).join(', ')}`,
    );
  }
}

/** The PDF embeds (or refers to) a font other than the bundled one: Chromium fell back somewhere. */
export class ForeignFontError extends DubanError {
  override readonly name: string = 'ForeignFontError';
  constructor(
    readonly fonts: readonly string[],
    readonly document: string,
  ) {
    super(`${document}: the PDF uses fonts other than the bundled Noto Sans SC: ${fonts.join(', ')}`);
  }
}

function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Characters a weight of the bundled font cannot draw. Chromium picks the face for a
 * character by unicode-range, trying the next face that claims it when one lacks the glyph
 * (a few slices overlap), so a character is safe exactly when a slice that claims it was
 * given to the page (when `available` is passed) and really has a glyph for it in its cmap.
 */
export function findMissingGlyphs(
  textByWeight: ReadonlyMap<FontWeight, string>,
  available?: ReadonlySet<string>,
): string[] {
  const missing: string[] = [];
  for (const [weight, text] of textByWeight) {
    for (const cp of codePointsOf(text)) {
      const drawn = slicesClaiming(cp, weight).some(
        (slice) => (available === undefined || available.has(slice.file)) && sliceGlyphs(slice.file).has(cp),
      );
      if (!drawn) {
        missing.push(`${String.fromCodePoint(cp)} (${hex(cp)}, ${weight})`);
      }
    }
  }
  return missing;
}

export function assertGlyphsCovered(
  textByWeight: ReadonlyMap<FontWeight, string>,
  document: string,
  available?: ReadonlySet<string>,
): void {
  const missing = findMissingGlyphs(textByWeight, available);
  if (missing.length > 0) throw new MissingGlyphError(missing, document);
}

export interface PdfFontInfo {
  /** Names of every font and font descriptor (/BaseFont, /FontName), subset prefix included. */
  readonly fontNames: readonly string[];
  /** Number of embedded font programs (/FontFile, /FontFile2, /FontFile3). */
  readonly embeddedPrograms: number;
  /** Type 3 fonts: Skia draws some glyphs as outlines; their descriptor still names the source font. */
  readonly type3Fonts: number;
}

/**
 * Font names and embedded font programs of a PDF as Chromium (Skia) writes it: font
 * dictionaries are plain objects, so a byte scan finds them without a PDF parser.
 */
export function pdfFontInfo(pdf: Uint8Array): PdfFontInfo {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const names = new Set<string>();
  for (const m of text.matchAll(/\/(?:BaseFont|FontName)\s*\/([^\s/<>[\]()]+)/g)) names.add(m[1] ?? '');
  return {
    fontNames: [...names].sort(),
    embeddedPrograms: [...text.matchAll(/\/FontFile[23]?\s/g)].length,
    type3Fonts: [...text.matchAll(/\/Subtype\s*\/Type3\b/g)].length,
  };
}

/** Every font in the PDF must come from the bundled Noto Sans SC, embedded. */
export function assertOnlyBundledFonts(pdf: Uint8Array, document: string): PdfFontInfo {
  const info = pdfFontInfo(pdf);
  const foreign = info.fontNames.filter((f) => !/^([A-Z]{6}\+)?NotoSansSC/.test(f));
  if (foreign.length > 0 || info.fontNames.length === 0) throw new ForeignFontError(foreign, document);
  if (info.embeddedPrograms < 1) throw new ForeignFontError(['(no embedded font program)'], document);
  return info;
}
