import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

/**
 * The bundled Noto Sans SC as fontsource ships it: one woff2 per unicode-range slice (about
 * 100 per weight). A document carries only the slices its characters fall in, and Chromium
 * embeds only the glyphs it draws. Only the weights the print CSS uses are offered.
 */

export const FONT_FAMILY = 'Noto Sans SC';
export const FONT_WEIGHTS = [400, 700] as const;
export type FontWeight = (typeof FONT_WEIGHTS)[number];

export interface FontSlice {
  readonly weight: FontWeight;
  /** File name inside @fontsource/noto-sans-sc/files. */
  readonly file: string;
  /** Inclusive code point ranges from the CSS unicode-range. */
  readonly ranges: readonly (readonly [number, number])[];
  readonly unicodeRange: string;
}

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));

function parseRange(part: string): [number, number] {
  const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-');
  const start = Number.parseInt(lo ?? '', 16);
  return [start, hi === undefined ? start : Number.parseInt(hi, 16)];
}

function parseFontsourceCss(css: string, weight: FontWeight): FontSlice[] {
  const slices: FontSlice[] = [];
  for (const block of css.matchAll(/@font-face\s*{([^}]*)}/g)) {
    const body = block[1] ?? '';
    const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(body)?.[1];
    const unicodeRange = /unicode-range:\s*([^;]+);/.exec(body)?.[1]?.trim();
    if (file === undefined || unicodeRange === undefined) continue;
    slices.push({ weight, file, unicodeRange, ranges: unicodeRange.split(',').map(parseRange) });
  }
  return slices;
}

let cachedSlices: FontSlice[] | undefined;

export function fontSlices(): readonly FontSlice[] {
  cachedSlices ??= FONT_WEIGHTS.flatMap((w) =>
    parseFontsourceCss(readFileSync(join(packageDir, `${w}.css`), 'utf8'), w),
  );
  return cachedSlices;
}

const bytesCache = new Map<string, Buffer>();

export function sliceBytes(file: string): Buffer {
  let bytes = bytesCache.get(file);
  if (bytes === undefined) {
    if (!/^noto-sans-sc-[a-z0-9-]+\.woff2$/.test(file)) throw new Error(`not a bundled font file: ${file}`);
    bytes = readFileSync(join(packageDir, 'files', file));
    bytesCache.set(file, bytes);
  }
  return bytes;
}

const glyphCache = new Map<string, ReadonlySet<number>>();

/** The code points a slice really has glyphs for (its cmap), not just what its CSS claims. */
export function sliceGlyphs(file: string): ReadonlySet<number> {
  let glyphs = glyphCache.get(file);
  if (glyphs === undefined) {
    const font = fontkit.create(sliceBytes(file));
    glyphs = new Set(font.characterSet);
    glyphCache.set(file, glyphs);
  }
  return glyphs;
}

function faceRule(slice: FontSlice, src: string, family = FONT_FAMILY): string {
  return `@font-face{font-family:'${family}';font-style:normal;font-weight:${slice.weight};font-display:block;src:url(${src}) format('woff2');unicode-range:${slice.unicodeRange};}`;
}

const slicesByCodePoint = new Map<FontWeight, ReadonlyMap<number, readonly FontSlice[]>>();

/**
 * The slices of a weight whose unicode-range claims a code point, in catalog order. A few
 * ranges overlap (the latin slice and slice 119 both claim ASCII). The ranges of a weight add
 * up to ~16,000 code points, so one map answers every lookup.
 */
export function slicesClaiming(codePoint: number, weight: FontWeight): readonly FontSlice[] {
  let index = slicesByCodePoint.get(weight);
  if (index === undefined) {
    const map = new Map<number, FontSlice[]>();
    for (const slice of fontSlices().filter((s) => s.weight === weight)) {
      for (const [lo, hi] of slice.ranges) {
        for (let cp = lo; cp <= hi; cp++) {
          const claiming = map.get(cp);
          if (claiming === undefined) map.set(cp, [slice]);
          else if (!claiming.includes(slice)) claiming.push(slice);
        }
      }
    }
    index = map;
    slicesByCodePoint.set(weight, index);
  }
  return index.get(codePoint) ?? [];
}

/** Slices of one weight whose range covers any of the code points, in catalog order. */
export function slicesFor(codePoints: Iterable<number>, weight: FontWeight): FontSlice[] {
  const hit = new Set<FontSlice>();
  for (const cp of codePoints) for (const slice of slicesClaiming(cp, weight)) hit.add(slice);
  return fontSlices().filter((s) => hit.has(s));
}

/**
 * One face of the bundled font, inline. `key` names it, so a warm page installs each face
 * once; `css` is its @font-face rule for a whole document, `base64` the same bytes for the
 * FontFace API.
 */
export interface InlineFace {
  readonly key: string;
  readonly family: string;
  readonly weight: FontWeight;
  readonly unicodeRange: string;
  readonly base64: string;
  readonly css: string;
}

const faceCache = new Map<string, InlineFace>();

/** A slice's face, base64 included, built once per process (slices are immutable files). */
function inlineFace(slice: FontSlice, family: string): InlineFace {
  const key = `${family}|${slice.file}`;
  let face = faceCache.get(key);
  if (face === undefined) {
    const base64 = sliceBytes(slice.file).toString('base64');
    const css = faceRule(slice, `data:font/woff2;base64,${base64}`, family);
    face = { key, family, weight: slice.weight, unicodeRange: slice.unicodeRange, base64, css };
    faceCache.set(key, face);
  }
  return face;
}

/**
 * Self-contained @font-face rules (base64) for the slices the text needs. The page gets them
 * inline rather than by URL: nothing is fetched at render time (a page set from a string may
 * not load file: URLs), and decoding data URLs measured faster than serving each slice
 * through request interception.
 */
export function inlineFontFaceCss(
  text: string,
  weights: readonly FontWeight[] = [400],
  family: string = FONT_FAMILY,
): { css: string; files: string[]; faces: InlineFace[] } {
  const codePoints = codePointsOf(text);
  const slices = weights.flatMap((w) => slicesFor(codePoints, w));
  const faces = slices.map((s) => inlineFace(s, family));
  return { css: faces.map((f) => f.css).join(''), files: slices.map((s) => s.file), faces };
}

/** Printable code points of a text (whitespace and controls draw no glyph). */
export function codePointsOf(text: string): Set<number> {
  const out = new Set<number>();
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp > 0x20 && !(cp >= 0x7f && cp <= 0xa0) && !/\s/u.test(ch)) out.add(cp);
  }
  return out;
}

/**
 * Every code point the bundled font draws in each weight the bulletin prints: what a
 * department's text may hold and still appear in the PDF as typed. The pure core carries a
 * committed copy (core/text/printable-set.ts, made by scripts/make-printable-set.ts), which a
 * unit test compares with this.
 */
export function printableCodePoints(): number[] {
  const perWeight = FONT_WEIGHTS.map((weight) => {
    const drawn = new Set<number>();
    for (const slice of fontSlices().filter((s) => s.weight === weight)) {
      const glyphs = sliceGlyphs(slice.file);
      for (const [lo, hi] of slice.ranges)
        for (let cp = lo; cp <= hi; cp++) if (glyphs.has(cp)) drawn.add(cp);
    }
    return drawn;
  });
  const [first, ...rest] = perWeight;
  return [...(first ?? [])].filter((cp) => rest.every((set) => set.has(cp))).sort((a, b) => a - b);
}
