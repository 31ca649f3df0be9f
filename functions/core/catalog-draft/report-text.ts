/**
 * The report as positioned text: sections (一、… and （一）… or ——… headings) and sentences, each
 * with its character offset in the decoded report. Matching runs on a normalised copy in which
 * full-width ASCII (１２３，％（）) is folded one character for one, so every offset found in the
 * copy is an offset in the original and source sentences are quoted exactly as the report has them.
 */

export interface Heading {
  readonly level: 1 | 2;
  readonly text: string;
  readonly offset: number;
}

export interface Sentence {
  /** Original text, trimmed. */
  readonly text: string;
  /** Normalised text (same length as `text`). */
  readonly norm: string;
  readonly offset: number;
  /** The level-1 heading above it (e.g. 一、2023年工作回顾), if any. */
  readonly part?: Heading;
  /** The nearest level-2 heading above it within the part (e.g. 经济结构持续优化), if any. */
  readonly section?: Heading;
}

export interface ReportText {
  readonly original: string;
  readonly norm: string;
  readonly headings: readonly Heading[];
  readonly sentences: readonly Sentence[];
}

/** Full-width ASCII → ASCII and the ideographic space → space, one UTF-16 unit for one. */
export function normalise(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000 || c === 0xa0) out += ' ';
    else out += text[i];
  }
  return out;
}

const CN_ORDINAL = '[一二三四五六七八九十]+';
const PART_HEADING = new RegExp(`^${CN_ORDINAL}[、.]\\s*(.+)$`);
const SECTION_HEADING = new RegExp(`^\\(${CN_ORDINAL}\\)\\s*(.+)$`);
/** 「——经济结构持续优化。…」: a dash-led lead phrase heads the paragraph. */
const DASH_HEADING = /^——\s*([^。;!?]{2,24})[。;!?]/;
/** 「1.经济实力不断增强。…」 */
const NUMBERED_HEADING = /^\d{1,2}[.、]\s*([^。;!?\d]{2,24})[。]/;
/** Level-1 headings that hold the year's review or plan even without 一、 (2022年工作回顾). */
const BARE_PART_HEADING = /^(?:\d{4}年|过去一年|今年)(?:工作回顾|主要目标|工作安排|重点工作)/;

const TERMINATORS = new Set(['。', ';', '!', '?', '\n']);

function headingOf(line: string): { level: 1 | 2; text: string; inline: boolean } | undefined {
  const part = PART_HEADING.exec(line);
  if (part?.[1] && line.length <= 40) return { level: 1, text: part[1].replace(/[。:]$/, ''), inline: false };
  if (BARE_PART_HEADING.test(line) && line.length <= 30) return { level: 1, text: line, inline: false };
  const section = SECTION_HEADING.exec(line);
  if (section?.[1]) {
    const text = section[1].split(/[。]/)[0] ?? section[1];
    return { level: 2, text, inline: text.length < section[1].length - 1 };
  }
  const dash = DASH_HEADING.exec(line) ?? NUMBERED_HEADING.exec(line);
  if (dash?.[1]) return { level: 2, text: dash[1], inline: true };
  return undefined;
}

export function readReport(original: string): ReportText {
  const norm = normalise(original);
  const headings: Heading[] = [];
  const sentences: Sentence[] = [];
  let part: Heading | undefined;
  let section: Heading | undefined;
  let lineStart = 0;
  while (lineStart <= norm.length) {
    let lineEnd = norm.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = norm.length;
    const raw = norm.slice(lineStart, lineEnd);
    const lead = raw.length - raw.trimStart().length;
    const line = raw.trim();
    const heading = line ? headingOf(line) : undefined;
    if (heading) {
      const h: Heading = { level: heading.level, text: heading.text, offset: lineStart + lead };
      headings.push(h);
      if (h.level === 1) {
        part = h;
        section = undefined;
      } else section = h;
    }
    if (!heading || heading.inline) {
      let start = lineStart;
      for (let i = lineStart; i <= lineEnd; i++) {
        const ch = norm[i];
        if (i === lineEnd || (ch !== undefined && TERMINATORS.has(ch))) {
          pushSentence(original, norm, start, i, part, section, sentences);
          start = i + 1;
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  return { original, norm, headings, sentences: withOverviewSections(sentences, headings) };
}

/** A part's opening overview (before its first section heading) belongs to that first section. */
function withOverviewSections(sentences: Sentence[], headings: readonly Heading[]): Sentence[] {
  return sentences.map((s) => {
    if (s.section || !s.part) return s;
    const part = s.part;
    const next = headings.find((h) => h.offset > s.offset && (h.level === 1 || h.offset > part.offset));
    return next && next.level === 2 ? { ...s, section: next } : s;
  });
}

function pushSentence(
  original: string,
  norm: string,
  start: number,
  end: number,
  part: Heading | undefined,
  section: Heading | undefined,
  into: Sentence[],
): void {
  let a = start;
  let b = end;
  while (a < b && /\s/.test(norm[a] ?? '')) a++;
  while (b > a && /\s/.test(norm[b - 1] ?? '')) b--;
  if (b - a < 2) return;
  into.push({ text: original.slice(a, b), norm: norm.slice(a, b), offset: a, part, section });
}
