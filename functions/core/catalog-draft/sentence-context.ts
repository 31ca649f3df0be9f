import type { Sentence } from './report-text.ts';

/**
 * Helpers over one sentence's normalised text: which characters sit inside quotation marks (a
 * quoted “三个一批” or “1个10%” is a name, never a figure) and where clauses start and end.
 */

const OPENERS: Readonly<Record<string, string>> = { '“': '”', '‘': '’', '《': '》', '"': '"', '「': '」' };

/** True for each position inside a quotation (the marks included). */
export function quotedMask(norm: string): boolean[] {
  const mask: boolean[] = new Array(norm.length).fill(false);
  const stack: string[] = [];
  for (let i = 0; i < norm.length; i++) {
    const ch = norm[i] ?? '';
    const closer = stack[stack.length - 1];
    if (closer !== undefined && ch === closer) {
      mask[i] = true;
      stack.pop();
      continue;
    }
    const opens = OPENERS[ch];
    if (opens !== undefined && !(ch === '"' && closer === '"')) {
      stack.push(opens);
      mask[i] = true;
      continue;
    }
    if (stack.length > 0) mask[i] = true;
  }
  // An unclosed quote masks nothing: better a figure too many than a silent loss.
  if (stack.length > 0) return new Array(norm.length).fill(false);
  return mask;
}

const CLAUSE_BREAKS = new Set([',', ':', '，', '：']);

/** Start of the clause holding position `at` (after the last comma or colon before it). */
export function clauseStart(norm: string, at: number, floor = 0): number {
  for (let i = at - 1; i >= floor; i--) if (CLAUSE_BREAKS.has(norm[i] ?? '')) return i + 1;
  return floor;
}

/** End of the clause holding position `at`. */
export function clauseEnd(norm: string, at: number, ceiling = norm.length): number {
  for (let i = at; i < ceiling; i++) if (CLAUSE_BREAKS.has(norm[i] ?? '')) return i;
  return ceiling;
}

export interface Clause {
  readonly text: string;
  /** Offset within the sentence. */
  readonly start: number;
}

export function clausesOf(sentence: Sentence): Clause[] {
  const out: Clause[] = [];
  let start = 0;
  const n = sentence.norm;
  for (let i = 0; i <= n.length; i++) {
    if (i === n.length || CLAUSE_BREAKS.has(n[i] ?? '')) {
      if (i > start) out.push({ text: n.slice(start, i), start });
      start = i + 1;
    }
  }
  return out;
}

/** Removes any of `words` from the start of `text`, repeatedly (longest first). */
export function stripLeading(text: string, words: readonly string[], keepAtLeast = 0): string {
  let t = text;
  let changed = true;
  while (changed) {
    changed = false;
    for (const w of words) {
      if (t.startsWith(w) && t.length - w.length >= keepAtLeast) {
        t = t.slice(w.length);
        changed = true;
      }
    }
  }
  return t;
}

/** Removes any of `words` from the end of `text`, repeatedly; returns what was removed too. */
export function stripTrailing(text: string, words: readonly string[]): { text: string; removed: string[] } {
  let t = text;
  const removed: string[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const w of words) {
      if (t.endsWith(w) && t.length >= w.length) {
        t = t.slice(0, -w.length);
        removed.unshift(w);
        changed = true;
      }
    }
  }
  return { text: t, removed };
}
