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

export function sliceCovers(slice: FontSlice, codePoint: number): boolean {
  return slice.ranges.some(([lo, hi]) => codePoint >= lo && codePoint <= hi);
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

const base64Cache = new Map<string, string>();

function sliceBase64(file: string): string {
  let b64 = base64Cache.get(file);
  if (b64 === undefined) {
    b64 = sliceBytes(file).toString('base64');
    base64Cache.set(file, b64);
  }
  return b64;
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

/** Slices of one weight whose range covers any of the code points. */
export function slicesFor(codePoints: Iterable<number>, weight: FontWeight): FontSlice[] {
  const wanted = [...codePoints];
  return fontSlices().filter((s) => s.weight === weight && wanted.some((cp) => sliceCovers(s, cp)));
}

/**
 * Self-contained @font-face rules (base64) for the slices the text needs. The page gets them
 * inline rather than by URL: nothing is fetched at render time (a page set from a string may
 * not load file: URLs), and decoding data URLs measured faster than serving each slice
 * through request interception. Header and footer templates cannot load anything at all
 * (@sparticuz/chromium issue #92), so for them inline is the only way.
 */
export function inlineFontFaceCss(
  text: string,
  weights: readonly FontWeight[] = [400],
  family: string = FONT_FAMILY,
): { css: string; files: string[] } {
  const codePoints = codePointsOf(text);
  const slices = weights.flatMap((w) => slicesFor(codePoints, w));
  return {
    css: slices.map((s) => faceRule(s, `data:font/woff2;base64,${sliceBase64(s.file)}`, family)).join(''),
    files: slices.map((s) => s.file),
  };
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
