import { parseDocument } from 'yaml';
import { z } from 'zod';
import { InputRejectedError } from '../errors.ts';

/**
 * The keyword table that proposes a 责任单位 for each draft indicator (固定资产投资 → 发改委,
 * 学校 → 教育局 …). It is catalog configuration (templates/catalogs/draft-keywords.yaml by default),
 * so a district edits it once and every year's draft follows.
 */

const keywordTableSchema = z.object({
  departments: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/),
        shortName: z.string().min(1),
        /** Full name; `{district}` is replaced by the district (解放区发展和改革委员会). */
        name: z.string().min(1),
      }),
    )
    .min(1),
  keywords: z
    .array(
      z.object({
        words: z.array(z.string().min(1)).min(1),
        dept: z.string().min(1),
        /** Stem of the proposed indicator code (GDP → S1-GDP). */
        code: z
          .string()
          .regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/)
          .optional(),
        /**
         * How often the figure is published, when not monthly (地区生产总值 is a quarterly
         * statistic): the draft writes it as the indicator's `frequency`.
         */
        frequency: z.enum(['quarterly', 'annual']).optional(),
      }),
    )
    .min(1),
  /** Department proposed when no keyword matches (the draft marks it for review). */
  fallback: z.string().min(1),
});
export type KeywordTable = z.infer<typeof keywordTableSchema>;

export function parseKeywordTable(text: string, fileName: string): KeywordTable {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new InputRejectedError(
      `${fileName}: the keyword table is not valid YAML`,
      doc.errors.map((e) => `${fileName}: ${e.message.split('\n')[0] ?? e.code}`),
    );
  }
  const parsed = keywordTableSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new InputRejectedError(
      `${fileName}: the keyword table has ${parsed.error.issues.length} problem(s)`,
      parsed.error.issues.map((i) => `${fileName}: ${i.path.join('.') || '(top level)'}: ${i.message}`),
    );
  }
  const table = parsed.data;
  const ids = new Set(table.departments.map((d) => d.id));
  const unknown = [
    ...table.keywords
      .filter((k) => !ids.has(k.dept))
      .map((k) => `keywords (${k.words[0]}).dept: unknown department "${k.dept}"`),
    ...(ids.has(table.fallback) ? [] : [`fallback: unknown department "${table.fallback}"`]),
  ];
  if (unknown.length > 0) {
    throw new InputRejectedError(
      `${fileName}: the keyword table names unknown departments`,
      unknown.map((p) => `${fileName}: ${p}`),
    );
  }
  return table;
}

export interface Responsibility {
  readonly dept: string;
  /** The keyword that decided it; undefined when the fallback was used. */
  readonly keyword?: string;
  /** Stem for the indicator code, only when the keyword is in the indicator's own name. */
  readonly codeStem?: string;
  /** The keyword's frequency, only when the keyword is in the indicator's name. */
  readonly frequency?: 'quarterly' | 'annual';
}

function bestMatch(table: KeywordTable, text: string): Responsibility | undefined {
  let best: { word: string; entry: KeywordTable['keywords'][number] } | undefined;
  for (const entry of table.keywords) {
    for (const word of entry.words) {
      if (text.includes(word) && (!best || word.length > best.word.length)) best = { word, entry };
    }
  }
  return (
    best && {
      dept: best.entry.dept,
      keyword: best.word,
      codeStem: best.entry.code,
      frequency: best.entry.frequency,
    }
  );
}

/** The indicator's name decides first; the sentence around it only when the name says nothing. */
export function responsibilityFor(table: KeywordTable, name: string, sentence: string): Responsibility {
  const byName = bestMatch(table, name);
  if (byName) return byName;
  const bySentence = bestMatch(table, sentence);
  return bySentence ? { dept: bySentence.dept, keyword: bySentence.keyword } : { dept: table.fallback };
}
