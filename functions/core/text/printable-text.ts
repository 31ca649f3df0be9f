import { PRINTABLE_ASTRAL, PRINTABLE_BMP } from './printable-set.ts';

/**
 * Which characters the bulletin can print. The PDF embeds only the bundled Noto Sans SC, and
 * a character it has no glyph for would print as an empty box, so the renderer refuses such a
 * document outright. Text duban writes itself must stay within the font; text a department
 * typed (情况说明) is theirs to write, so ingest warns about it and the bulletin prints each
 * such character as a visible substitute, 〔U+1F637〕, with a footnote.
 */

export interface PrintableSet {
  /** The Basic Multilingual Plane as a bitmap, base64: bit (cp % 8) of byte (cp >> 3). */
  readonly bmp: string;
  /** Printable code points above U+FFFF. */
  readonly astral: readonly number[];
}

/** The committed form of a set of code points (scripts/make-printable-set.ts writes it). */
export function encodePrintableSet(codePoints: Iterable<number>): PrintableSet {
  const bitmap = new Uint8Array(0x10000 / 8);
  const astral: number[] = [];
  for (const cp of codePoints) {
    if (cp > 0xffff) astral.push(cp);
    else bitmap[cp >> 3] = (bitmap[cp >> 3] ?? 0) | (1 << (cp & 7));
  }
  let binary = '';
  for (const byte of bitmap) binary += String.fromCharCode(byte);
  return { bmp: btoa(binary), astral: astral.sort((a, b) => a - b) };
}

let bitmap: Uint8Array | undefined;
let astral: ReadonlySet<number> | undefined;

/** Characters that draw nothing (spaces, controls) never need a glyph. */
function drawsNothing(cp: number, ch: string): boolean {
  return cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0) || /\s/u.test(ch);
}

/** True when the bulletin font draws the character (or it draws nothing at all). */
export function isPrintable(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if (drawsNothing(cp, ch)) return true;
  if (cp > 0xffff) {
    astral ??= new Set(PRINTABLE_ASTRAL);
    return astral.has(cp);
  }
  bitmap ??= Uint8Array.from(atob(PRINTABLE_BMP), (c) => c.charCodeAt(0));
  return ((bitmap[cp >> 3] ?? 0) & (1 << (cp & 7))) !== 0;
}

/** U+1F637 */
export function codePointLabel(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The distinct characters of `text` the bulletin cannot print, in order of appearance. */
export function unprintableCharacters(text: string): string[] {
  const found = new Set<string>();
  for (const ch of text) if (!isPrintable(ch)) found.add(ch);
  return [...found];
}

export interface PrintableText {
  readonly text: string;
  /** True when at least one character was replaced. */
  readonly substituted: boolean;
}

/**
 * The text with each run of unprintable characters replaced by its code points, e.g.
 * "滞后😷" → "滞后〔U+1F637〕" and "👍🏻" → "〔U+1F44D U+1F3FB〕": exact, so a reader can
 * recover what was typed, and drawn entirely with the bulletin font.
 */
export function printableText(text: string): PrintableText {
  let out = '';
  let run: string[] = [];
  let substituted = false;
  const flush = () => {
    if (run.length === 0) return;
    out += `〔${run.join(' ')}〕`;
    run = [];
    substituted = true;
  };
  for (const ch of text) {
    if (isPrintable(ch)) {
      flush();
      out += ch;
    } else {
      run.push(codePointLabel(ch));
    }
  }
  flush();
  return { text: substituted ? out : text, substituted };
}

/** The footnote under text that holds substitutes. */
export const SUBSTITUTE_FOOTNOTE =
  '注：〔U+xxxx〕为通报字体无法显示的字符（如表情符号、生僻字），按其 Unicode 码位标出；原文以该单位报送的原件为准。';
