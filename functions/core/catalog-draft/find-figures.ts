import { parseChineseNumeral, parseOrdinal } from '../chinese-numerals.ts';
import type { DerivedTarget, ProposedKind } from './draft-types.ts';
import {
  CHINESE_COUNT_UNITS,
  FIGURE_UNITS,
  GENERIC_NAMES,
  HEADLINE_AGGREGATES,
  LEADING_FILLERS,
  LOWER_IS_BETTER_WORDS,
  MEASURE_WORDS,
  NOT_TARGET_NOUNS,
  NOUN_END_VERBS,
  QUALIFIERS_BEFORE,
  REDUCTION_VERBS,
  SCALABLE_UNITS,
  TRAILING_VERBS,
} from './figure-words.ts';
import type { Sentence } from './report-text.ts';
import { clauseEnd, clauseStart, quotedMask, stripLeading, stripTrailing } from './sentence-context.ts';

/**
 * Quantitative statements in one sentence: amounts with units, growth rates, shares, ranks and
 * counts written in Chinese numerals, each with a name built from the words around it. Dates,
 * session numbers (十五届, 四次会议), quoted names (“三个一批”), codes (5G, 4A, PM2.5, 2×100) and
 * numbers without a unit never become figures.
 */

export interface SentenceFigure {
  readonly proposedKind: ProposedKind;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly qualifier?: string;
  readonly direction: 'higher' | 'lower';
  readonly derivedTarget?: DerivedTarget;
  /** Offsets within the sentence. */
  readonly start: number;
  readonly end: number;
  /** Where the quoted source starts within the sentence (the clause holding the subject). */
  readonly sourceStart: number;
  readonly confidence: number;
  readonly doubts: string[];
  /** Set for 第一方阵-style positions: a qualitative standing, not a number. */
  readonly standing?: string;
}

interface Span {
  readonly start: number;
  readonly end: number;
  readonly value: number;
  readonly unit: string;
  readonly type: 'amount' | 'percent' | 'points' | 'rank' | 'skip';
  readonly chinese?: boolean;
  readonly qualifier?: string;
  readonly scope?: string;
  readonly standing?: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/%]/g, '\\$&');
const UNIT_ALT = FIGURE_UNITS.map(escapeRegExp).join('|');
const SCALABLE_ALT = [...SCALABLE_UNITS].map(escapeRegExp).join('|');
const UNIT_TAIL = new RegExp(
  `^(?:(万|亿)(?=(?:余|多)?(?:${SCALABLE_ALT})))?(余|多)?(${UNIT_ALT})(?:/(平方公里|平方米|人|户|年|天))?(以上|左右|以内|多)?`,
);
const ARABIC = /\d+(?:\.\d+)?/g;
const CHINESE_COUNT = new RegExp(
  `([零〇一二两三四五六七八九十百千]+)(${CHINESE_COUNT_UNITS.join('|')})`,
  'g',
);
const SCOPE =
  '(?:全国|全省|全市|全区|全县|中心城区|主城区|各区|县区|同类城区|[一二三四五六七八九十\\d]+个?(?:城区|县区|县市区|区县))';
const RANK = new RegExp(
  `(${SCOPE})(?:各区|县区)?(?:排名|排|位次)?(?:第([一二三四五六七八九十\\d]+)(?:位|名)?(方阵)?|前([一二三四五六七八九十\\d]+)(?:位|名)?|(首位))`,
  'g',
);
const GROWTH =
  /(同比|比上年|较上年|比去年|较去年|年均)?(增长|下降|提高|降低|减少|增加|上升|回落|增速为|增速|增幅为|增幅)(了)?(达到|达|约|近|超过)?$/;
const PLAN_RATIO = /(占|完成|为)(了)?(年度|全年|年)?(投资)?(计划|目标)(任务)?(的)?$/;
const DELTA = /(同比|比上年|较上年|比去年)?(提高|增加|上升|减少|下降|增长)(了)?$/;
const COMPARISON = /(高于|低于|快于|慢于|超出|比)/;
const RANK_VERBS = ['总量稳居', '稳居', '跃居', '位居', '位列', '排名', '进入', '保持', '居', '排', '列'];
const NEGATIVE_GROWTH = new Set(['下降', '降低', '减少', '回落']);

function isYear(value: number, unit: string): boolean {
  return unit === '年' && Number.isInteger(value) && value >= 1900 && value <= 2100;
}

/** 6-7%, 3至5所, 6%—7%: a range; the draft keeps its lower bound and says so. */
const RANGE_SEP = /^\s*[-~—–至到]\s*(\d+(?:\.\d+)?)/;

interface UnitTail {
  readonly tail: RegExpExecArray;
  /** Where the unit tail starts (after the upper bound of a range written 6-7%). */
  readonly from: number;
  readonly upper?: string;
}

function unitTailAt(norm: string, e: number): UnitTail | undefined {
  const direct = UNIT_TAIL.exec(norm.slice(e));
  if (direct) {
    const end = e + direct[0].length;
    const range = RANGE_SEP.exec(norm.slice(end));
    const second = range ? UNIT_TAIL.exec(norm.slice(end + range[0].length)) : null;
    if (range && second && second[3] === direct[3]) {
      return { tail: direct, from: e, upper: `${range[1]}|${range[0].length + second[0].length}` };
    }
    return { tail: direct, from: e };
  }
  const range = RANGE_SEP.exec(norm.slice(e));
  if (!range) return undefined;
  const tail = UNIT_TAIL.exec(norm.slice(e + range[0].length));
  return tail ? { tail, from: e + range[0].length, upper: `${range[1]}|0` } : undefined;
}

function arabicSpans(norm: string, mask: readonly boolean[]): Span[] {
  const spans: Span[] = [];
  let consumedUntil = -1;
  for (const m of norm.matchAll(ARABIC)) {
    const s = m.index;
    const e = s + m[0].length;
    const prev = norm[s - 1] ?? '';
    const next = norm[e] ?? '';
    if (mask[s] || s < consumedUntil) continue;
    if (/[A-Za-z×*+\-/.~—第]/.test(prev) || /[A-Za-z×*+]/.test(next)) continue;
    const found = unitTailAt(norm, e);
    if (!found) continue;
    const [whole, multiplier, between, unit = '', per, after] = found.tail;
    const value = Number(m[0]);
    const [upper, extra = '0'] = found.upper?.split('|') ?? [];
    const end = found.from + whole.length + Number(extra);
    const rest = norm.slice(end);
    const fullUnit = `${multiplier ?? ''}${unit}${per ? `/${per}` : ''}`;
    const notTarget =
      unit === '年' ||
      (unit === '次' && /^(会议|全会|会|党代会)/.test(rest)) ||
      (unit === '个' && rest.startsWith('月')) ||
      NOT_TARGET_NOUNS.some((w) => rest.startsWith(w));
    if (isYear(value, unit) || notTarget) {
      const noun = NOT_TARGET_NOUNS.find((w) => rest.startsWith(w)) ?? '';
      spans.push({ start: s, end: end + noun.length, value, unit: fullUnit, type: 'skip' });
      continue;
    }
    if (upper !== undefined) consumedUntil = end;
    const type = unit === '%' || unit === '‰' ? 'percent' : unit.endsWith('百分点') ? 'points' : 'amount';
    const range = upper === undefined ? undefined : `${m[0]}-${upper}${fullUnit}`;
    const qualifier = [range, between === '多' ? '余' : between, after].filter(Boolean).join('') || undefined;
    spans.push({
      start: s,
      end,
      value,
      unit: unit.endsWith('百分点') ? '百分点' : fullUnit,
      type,
      qualifier,
    });
  }
  return spans;
}

function chineseSpans(norm: string, mask: readonly boolean[]): Span[] {
  const spans: Span[] = [];
  for (const m of norm.matchAll(CHINESE_COUNT)) {
    const s = m.index;
    const [whole, numeral = '', unit = ''] = m;
    const end = s + whole.length;
    const prev = norm[s - 1] ?? '';
    if (mask[s] || /[第统唯之万初逐单专每周星]/.test(prev)) continue;
    const value = parseChineseNumeral(numeral);
    if (value === undefined || value === 0) continue;
    const rest = norm.slice(end);
    if (value === 1 && unit !== '所' && unit !== '座') continue;
    if (NOT_TARGET_NOUNS.some((w) => rest.startsWith(w)) || (unit === '个' && rest.startsWith('月'))) {
      const noun = NOT_TARGET_NOUNS.find((w) => rest.startsWith(w)) ?? '';
      spans.push({ start: s, end: end + noun.length, value, unit, type: 'skip' });
      continue;
    }
    spans.push({ start: s, end, value, unit, type: 'amount', chinese: true });
  }
  return spans;
}

function rankSpans(norm: string, mask: readonly boolean[]): Span[] {
  const spans: Span[] = [];
  for (const m of norm.matchAll(RANK)) {
    const s = m.index;
    if (mask[s]) continue;
    const [whole, scope = '', nth, tier, top, first] = m;
    const position = first ? 1 : parseOrdinal(nth ?? top ?? '');
    if (position === undefined) continue;
    spans.push({
      start: s,
      end: s + whole.length,
      value: position,
      unit: '位',
      type: 'rank',
      scope,
      qualifier: top ? '前' : undefined,
      standing: tier ? `${scope}第${nth}${tier}` : undefined,
    });
  }
  return spans;
}

function withoutOverlaps(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.start < last.end) continue;
    out.push(span);
  }
  return out;
}

function cleanName(text: string): string {
  return text
    .replace(/^[、,:;\s]+|[、,:;\s]+$/g, '')
    .replace(/的$/, '')
    .trim();
}

interface NameParts {
  readonly name: string;
  readonly qualifier?: string;
  /** The bare left text (verbs and qualifiers still on) for growth and share rules. */
  readonly left: string;
}

/** The words before a figure, back to the clause start or the previous figure. */
function leftName(norm: string, boundary: number, start: number): NameParts {
  const left = norm.slice(boundary, start);
  const q = stripTrailing(left, QUALIFIERS_BEFORE);
  const v = stripTrailing(q.text, TRAILING_VERBS);
  const qualifier = q.removed.find((w) => !['达到', '达'].includes(w));
  const name = cleanName(stripLeading(v.text, LEADING_FILLERS, 0));
  return { name: TRAILING_VERBS.includes(name) ? '' : name, qualifier, left };
}

/** 18个|文旅项目|扎实推进: the noun a measure word counts, cut before its verb. */
function rightNoun(norm: string, from: number, to: number): { noun: string; clause: string } {
  const clause = norm.slice(from, to).replace(/^[、\s]+/, '');
  let cut = clause.length;
  for (const verb of NOUN_END_VERBS) {
    const at = clause.indexOf(verb);
    if (at > 0 && at < cut) cut = at;
  }
  return { noun: cleanName(clause.slice(0, cut)), clause: cleanName(clause) };
}

/** Verbs that turn a bad thing into a good count: 化解信访积案200起 is better higher. */
const RESOLVING = /^(化解|消除|整改|处置|清收|查处|破获|办结|治理|清理|关停)/;

function directionOf(name: string, left: string): 'higher' | 'lower' {
  if (RESOLVING.test(name)) return 'higher';
  if (LOWER_IS_BETTER_WORDS.some((w) => name.includes(w))) return 'lower';
  const reduced = REDUCTION_VERBS.some((w) => left.includes(w));
  if (reduced && !HEADLINE_AGGREGATES.some((w) => name.includes(w))) return 'lower';
  return 'higher';
}

const STOCK_MARKERS = /(总量|总数|余额|存量|保有量|现有|拥有|达到|达$|^建成)/;
const FLOW_MARKERS = /^(新增|新建|引进|完成|办理|化解|安装|改造|培育|实施|开工|竣工|新上|整改|消除|接待)/;

function amountKind(name: string, left: string, unit: string): ProposedKind {
  const counted = !/元|美元/.test(unit) || /余额|存款|贷款|资产规模/.test(name);
  if (counted && (STOCK_MARKERS.test(left) || STOCK_MARKERS.test(name)) && !FLOW_MARKERS.test(name))
    return 'stock';
  return 'cumulative';
}

function approximationDoubt(qualifier: string, value: number, unit: string): string {
  const what = qualifier.includes('-') ? '区间，按下限' : '约数，按';
  return `“${qualifier}”：报告给的是${what}${value}${unit}记`;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** One figure of a 分别 list: its subject and the verb the list shares (下降, 增长, 为 …). */
interface Respective {
  readonly item: string;
  readonly verb: string;
}

/**
 * 万元GDP水耗、电耗分别下降9.7%、5%: the k-th figure after 分别 belongs to the k-th subject before
 * it, with the verb they share. Only when the counts agree; otherwise the usual naming applies.
 */
function respectiveFigures(norm: string, spans: readonly Span[]): Map<Span, Respective> {
  const out = new Map<Span, Respective>();
  for (const m of norm.matchAll(/分别/g)) {
    const from = clauseStart(norm, m.index);
    const subjects = stripLeading(norm.slice(from, m.index), LEADING_FILLERS, 0)
      .split(/、|和|与|及/)
      .map((item) => cleanName(item))
      .filter((item) => item.length >= 1);
    const after = m.index + m[0].length;
    const group: Span[] = [];
    for (const span of spans) {
      if (span.start < after || span.type === 'skip') continue;
      const gap = norm.slice(
        group.length === 0 ? after : (group[group.length - 1]?.end ?? after),
        span.start,
      );
      if (group.length > 0 && !/^[、和与及]$/.test(gap)) break;
      if (group.length === 0 && /[,，;；。]/.test(gap)) break;
      group.push(span);
    }
    const first = group[0];
    if (subjects.length < 2 || group.length !== subjects.length || !first) continue;
    const verb = norm.slice(after, first.start);
    group.forEach((span, k) => {
      out.set(span, { item: subjects[k] ?? '', verb });
    });
  }
  return out;
}

export function findFigures(sentence: Sentence): SentenceFigure[] {
  const norm = sentence.norm;
  const mask = quotedMask(norm);
  const spans = withoutOverlaps([
    ...rankSpans(norm, mask),
    ...arabicSpans(norm, mask),
    ...chineseSpans(norm, mask),
  ]);
  const figures: SentenceFigure[] = [];
  const respective = respectiveFigures(norm, spans);
  let subject: { name: string; sourceStart: number } | undefined;
  let previous: Span | undefined;
  const targetAdmitted = /超额完成|完成.{0,6}目标/.test(norm);

  spans.forEach((span, index) => {
    const prevSpan = spans[index - 1];
    const cStart = clauseStart(norm, span.start);
    const afterPrev = prevSpan && prevSpan.end > cStart ? prevSpan.end : cStart;
    const boundary = norm[afterPrev] === '、' ? afterPrev + 1 : afterPrev;
    if (span.type === 'skip') return;
    const doubts: string[] = [];
    const parts = leftName(norm, boundary, span.start);
    const sameUnitBefore = previous !== undefined && previous.unit === span.unit;

    if (span.type === 'rank') {
      const verbless = stripTrailing(parts.left, RANK_VERBS).text;
      let base = cleanName(stripLeading(verbless, LEADING_FILLERS, 0));
      if ((base === '' || GENERIC_NAMES.includes(base)) && subject) base = `${subject.name}${base}`;
      const sourceStart = base.startsWith(subject?.name ?? '\u0000')
        ? (subject?.sourceStart ?? cStart)
        : cStart;
      if (base === '') doubts.push('名称待定：位次前没有指标名');
      figures.push({
        proposedKind: span.standing ? 'qualitative' : 'rank',
        name: span.standing ? `${base}进入${span.standing}` : `${base}${span.scope ?? ''}位次`,
        value: span.value,
        unit: '位',
        qualifier: span.qualifier,
        direction: 'lower',
        start: span.start,
        end: span.end,
        sourceStart,
        confidence: base === '' ? 0.5 : span.standing ? 0.6 : 0.85,
        doubts,
        standing: span.standing,
      });
      return;
    }

    if (span.type === 'percent' || span.type === 'points') {
      const ratio = PLAN_RATIO.exec(parts.left);
      const lastFigure = figures[figures.length - 1];
      if (ratio && span.type === 'percent' && lastFigure && lastFigure.unit !== '%' && span.value > 0) {
        const target = round2(lastFigure.value / (span.value / 100));
        figures[figures.length - 1] = {
          ...lastFigure,
          derivedTarget: { value: target, arithmetic: `${lastFigure.value} ÷ ${span.value}% = ${target}` },
        };
        return;
      }
      if (span.type === 'points') {
        // 高于全国增速2.5个百分点, 上升20个百分点: comparisons and changes of a figure already kept.
        if (COMPARISON.test(parts.left) || previous !== undefined) return;
      }
      const each = respective.get(span);
      const growth = GROWTH.exec(each ? each.verb : parts.left);
      let name: string;
      let value = span.value;
      let sourceStart = cStart;
      if (each) {
        name = growth ? `${each.item}${growth[1] === '年均' ? '年均' : ''}增速` : each.item;
        if (growth && NEGATIVE_GROWTH.has(growth[2] ?? '')) value = -value;
      } else if (growth) {
        const head = cleanName(stripLeading(parts.left.slice(0, growth.index), LEADING_FILLERS, 0));
        const base = head === '' || GENERIC_NAMES.includes(head) ? `${subject?.name ?? ''}${head}` : head;
        if (head === '' && subject) sourceStart = subject.sourceStart;
        name = `${base}${growth[1] === '年均' ? '年均' : ''}增速`;
        if (NEGATIVE_GROWTH.has(growth[2] ?? '')) value = -value;
        if (base === '') doubts.push('名称待定：增速前没有指标名');
      } else if (/占(?!比)/.test(parts.left)) {
        const at = parts.left.lastIndexOf('占');
        const before = cleanName(stripLeading(parts.left.slice(0, at), LEADING_FILLERS, 0));
        const after = cleanName(parts.left.slice(at + 1).replace(/的$/, ''));
        const base = before === '' ? (subject?.name ?? '') : before;
        if (before === '' && subject) sourceStart = subject.sourceStart;
        name = `${base}占${after}比重`;
        if (base === '') doubts.push('名称待定：比重前没有指标名');
      } else {
        name = parts.name || subject?.name || '';
        if (name === '') doubts.push('名称待定：百分比前没有指标名');
      }
      const direction = directionOf(name, parts.left);
      if (span.type === 'points') doubts.push('以“个百分点”表述：请确认是目标值还是变化量');
      const rateQualifier = parts.qualifier ?? span.qualifier;
      if (rateQualifier)
        doubts.push(approximationDoubt(rateQualifier, value, span.type === 'points' ? '个百分点' : '%'));
      figures.push({
        proposedKind: 'rate',
        name,
        value,
        unit: span.type === 'points' ? '百分点' : '%',
        qualifier: parts.qualifier ?? span.qualifier,
        direction,
        start: span.start,
        end: span.end,
        sourceStart,
        confidence: name === '' ? 0.4 : growth || parts.name ? 0.85 : 0.7,
        doubts,
      });
      if (!growth && name !== '' && !name.includes('占')) subject = { name, sourceStart };
      previous = span;
      return;
    }

    // Amounts and counts.
    const each = respective.get(span);
    if (DELTA.test(parts.left) && sameUnitBefore && !each) return;
    let name = each?.item ?? parts.name;
    let sourceStart = cStart;
    const isMeasure = MEASURE_WORDS.has(span.unit) || span.chinese === true;
    if (isMeasure && name.length <= 2) {
      const nextSpan = spans.slice(index + 1).find((s) => s.type !== 'skip');
      let from = span.end;
      // 56条76公里农村公路: the noun comes after the figure that follows at once.
      if (nextSpan && nextSpan.start === span.end) from = nextSpan.end;
      const to = Math.min(clauseEnd(norm, from), spans.find((s) => s.start >= from)?.start ?? norm.length);
      const { noun, clause } = rightNoun(norm, from, to);
      if (noun.length >= 2) name = `${name}${noun}`;
      else if (clause.length >= 2) name = `${name}${clause.slice(0, 20)}`;
    }
    if (name === '' && sameUnitBefore) return; // 首次突破600亿元大关: the same figure again
    // 10万元以上的村, 均达到5万元以上: a threshold that defines what is counted, not a target.
    if (
      /^(以上|以下)?的/.test(norm.slice(span.end)) ||
      /均(达到|达|超过)?$/.test(stripTrailing(parts.left, QUALIFIERS_BEFORE).text)
    )
      return;
    if ((name === '' || GENERIC_NAMES.includes(name)) && subject) {
      name = `${subject.name}${name}`;
      sourceStart = subject.sourceStart;
    }
    if (name === '') doubts.push('名称待定：数字前后没有指标名');
    if (span.chinese) doubts.push('中文数字计数：请核对');
    if (targetAdmitted) doubts.push('报告称已完成（或超额完成）目标，但未给出目标数');
    const qualifier = parts.qualifier ?? span.qualifier;
    if (qualifier) doubts.push(approximationDoubt(qualifier, span.value, span.unit));
    figures.push({
      proposedKind: amountKind(name, parts.left, span.unit),
      name,
      value: span.value,
      unit: span.unit,
      qualifier,
      direction: directionOf(name, parts.left),
      start: span.start,
      end: span.end,
      sourceStart,
      confidence: name === '' ? 0.4 : span.chinese ? 0.7 : name.length < 3 ? 0.6 : 0.9,
      doubts,
    });
    if (name !== '') subject = { name, sourceStart };
    previous = span;
  });
  return figures;
}

/** Sentence-relative spans that any figure rule consumed (for the task rules to leave alone). */
export function figureSpans(sentence: Sentence): { start: number; end: number }[] {
  const mask = quotedMask(sentence.norm);
  return [
    ...rankSpans(sentence.norm, mask),
    ...arabicSpans(sentence.norm, mask),
    ...chineseSpans(sentence.norm, mask),
  ]
    .filter((span) => span.type !== 'skip')
    .map(({ start, end }) => ({ start, end }));
}
