import type { ProposedKind } from './draft-types.ts';
import { LEADING_FILLERS } from './figure-words.ts';
import type { Sentence } from './report-text.ts';
import { clausesOf, quotedMask, stripLeading, stripTrailing } from './sentence-context.ts';

/**
 * Named projects and qualitative tasks: a clause without a figure whose verb reports a result —
 * a stage (开工建设, 建成通车, 落地, 启动), an honour (获评, 入选, 通过…复审), an event (举办) or a duty
 * (足额发放, 超额完成…目标, 压减, 化解). Named items before the verb become one task each; honours
 * of named items become a count (三泰机械、盛世高科被评为…企业 → 2家).
 */

export interface SentenceTask {
  readonly proposedKind: ProposedKind;
  readonly name: string;
  readonly stage: string;
  readonly items: readonly string[];
  /** A count of the named items (honours, 完成…工程): value and unit. */
  readonly count?: { value: number; unit: string };
  readonly direction: 'higher' | 'lower';
  /** Offsets within the sentence. */
  readonly start: number;
  readonly sourceStart: number;
  readonly confidence: number;
  readonly doubts: string[];
}

type VerbClass = 'stage' | 'honour' | 'event' | 'duty';

interface VerbRule {
  readonly verb: string;
  readonly cls: VerbClass;
  /** The object must contain one of these for the verb to count (通过…复审). */
  readonly objectNeeds?: RegExp;
  /** The clause must contain one of these (…等重点领域风险有力化解). */
  readonly clauseNeeds?: RegExp;
}

const VERBS: readonly VerbRule[] = [
  ...[
    '开工建设',
    '建成通车',
    '建成投用',
    '建成投产',
    '建成运营',
    '主体完工',
    '主体完成',
    '主体竣工',
    '竣工投产',
    '竣工验收',
    '投入使用',
    '启动建设',
    '签约落地',
    '开工',
    '竣工',
    '完工',
    '通车',
    '投用',
    '投产',
    '投运',
    '落地',
    '启动',
    '建成',
  ].map((verb) => ({ verb, cls: 'stage' as const })),
  ...[
    '被命名为',
    '被认定为',
    '被评为',
    '被列入',
    '获评',
    '评为',
    '荣获',
    '入选',
    '列入',
    '获批',
    '命名为',
  ].map((verb) => ({
    verb,
    cls: 'honour' as const,
  })),
  { verb: '成为', cls: 'honour', objectNeeds: /企业|平台|基地|示范|园区|试点/ },
  { verb: '通过', cls: 'honour', objectNeeds: /复审|复评|复核|验收|评估|认定|考核|评审|审核/ },
  { verb: '保持', cls: 'honour', objectNeeds: /称号|荣誉/ },
  { verb: '获得', cls: 'honour', objectNeeds: /称号|荣誉|奖|认证/ },
  { verb: '举办', cls: 'event' },
  { verb: '承办', cls: 'event' },
  { verb: '超额完成', cls: 'duty', objectNeeds: /(?<!各项|全年|年度)目标$/ },
  { verb: '足额发放', cls: 'duty' },
  { verb: '压减', cls: 'duty' },
  { verb: '化解', cls: 'duty', clauseNeeds: /等.*(难题|风险)/ },
  { verb: '完成', cls: 'duty', objectNeeds: /^(?!.*(任务|目标)).*(改制|搬迁|改造|验收|工程|项目|建设)$/ },
];

/** The category noun an honour names → the unit its items are counted in. */
const CATEGORY_UNITS: readonly (readonly [RegExp, string])[] = [
  [/企业|公司|单位|医院|卫生院|机构|银行/, '家'],
  [/学校|幼儿园|小学|中学/, '所'],
  [/村|乡镇|社区|街区|街道|平台|中心|园区|基地|项目|工程|线路|景区|示范区|品牌/, '个'],
];

/** Adverbs between a subject and its verb (…项目|加速|落地). */
const ADVERBS = [
  '成功',
  '顺利',
  '全面',
  '加速',
  '加快',
  '扎实',
  '有力',
  '相继',
  '分别',
  '均',
  '已',
  '正式',
  '如期',
  '按期',
  '率先',
  '持续',
  '千方百计',
  '全力',
  '积极',
  '高标准',
  '高质量',
];
/** Subjects that are practices being praised, not things a department delivers. */
const PRACTICE = /经验|做法|模式|探索|案例|典型/;
const DURATION = /^连续\d+年|^连续[一二三四五六七八九十]+年/;

function categoryUnit(object: string): string | undefined {
  let best: { at: number; unit: string } | undefined;
  for (const [re, unit] of CATEGORY_UNITS) {
    for (const m of object.matchAll(new RegExp(re.source, 'g'))) {
      if (!best || m.index >= best.at) best = { at: m.index, unit };
    }
  }
  return best?.unit;
}

/** 虎石新材料、手拉手汽车智慧产业园项目 → both, each a 项目; 金桂茗苑、平光南厂、城际花园等项目 → three. */
function namedItems(text: string): { items: string[]; suffix: string } {
  const etc = text.indexOf('等');
  const listed = etc > 0 ? text.slice(0, etc) : text;
  const items = listed
    .split('、')
    .map((s) => s.trim())
    .filter((s) => s.length >= 2);
  const last = items[items.length - 1] ?? '';
  const suffix = /(项目|工程|中心|市定目标|目标)$/.exec(last)?.[1] ?? '';
  return {
    items: items.map((item, i) =>
      suffix && i < items.length - 1 && !item.endsWith(suffix) ? `${item}${suffix}` : item,
    ),
    suffix,
  };
}

function findVerb(
  clause: string,
  mask: readonly boolean[],
  offset: number,
): { rule: VerbRule; at: number } | undefined {
  let found: { rule: VerbRule; at: number } | undefined;
  for (const rule of VERBS) {
    let from = 0;
    for (;;) {
      const at = clause.indexOf(rule.verb, from);
      if (at < 0) break;
      from = at + 1;
      if (mask[offset + at]) continue;
      if (rule.objectNeeds && !rule.objectNeeds.test(clause.slice(at + rule.verb.length))) continue;
      if (rule.clauseNeeds && !rule.clauseNeeds.test(clause)) continue;
      if (!found || at < found.at || (at === found.at && rule.verb.length > found.rule.verb.length))
        found = { rule, at };
      break;
    }
  }
  return found;
}

const KIND_BY_CLASS: Readonly<Record<VerbClass, ProposedKind>> = {
  stage: 'milestone',
  honour: 'deadline',
  event: 'deadline',
  duty: 'qualitative',
};

export function findTasks(
  sentence: Sentence,
  figureSpans: readonly { start: number; end: number }[],
): SentenceTask[] {
  const mask = quotedMask(sentence.norm);
  const tasks: SentenceTask[] = [];
  for (const clause of clausesOf(sentence)) {
    const end = clause.start + clause.text.length;
    if (figureSpans.some((f) => f.start < end && f.end > clause.start)) continue;
    const hit = findVerb(clause.text, mask, clause.start);
    if (!hit) continue;
    const { rule, at } = hit;
    const rawSubject = stripTrailing(clause.text.slice(0, at), ADVERBS).text;
    const object = clause.text.slice(at + rule.verb.length).replace(/^了/, '');
    let subject = stripLeading(rawSubject, [...LEADING_FILLERS, ...ADVERBS], 0).trim();
    const doubts: string[] = [];
    if (DURATION.test(subject)) {
      doubts.push(`报告称“${subject}”`);
      subject = '';
    }
    if (PRACTICE.test(subject) || /我们|全区上下/.test(subject)) continue;
    const base = { direction: rule.verb === '压减' ? ('lower' as const) : ('higher' as const), doubts };
    const sourceStart = clause.start;

    if (rule.cls === 'stage' && subject !== '') {
      const { items } = namedItems(subject);
      for (const item of items) {
        tasks.push({
          ...base,
          proposedKind: 'milestone',
          name: item,
          stage: rule.verb,
          items: [item],
          start: clause.start + Math.max(0, clause.text.indexOf(item.slice(0, 2))),
          sourceStart,
          confidence: 0.75,
        });
      }
      continue;
    }
    if (rule.cls === 'honour' && subject !== '') {
      const { items } = namedItems(subject);
      const unit = categoryUnit(object);
      if (unit && items.length > 0) {
        tasks.push({
          ...base,
          proposedKind: 'deadline',
          name: `${items.length === 1 ? items[0] : ''}${rule.verb}${object}`,
          stage: rule.verb,
          items,
          count: { value: items.length, unit },
          start: clause.start,
          sourceStart,
          confidence: 0.7,
          doubts: [...doubts, `由列举项计数：${items.join('、')}（${items.length}${unit}）`],
        });
        continue;
      }
    }
    const keepWhole = rule.verb === '足额发放' || rule.verb === '压减';
    const listedObject = object.includes('、') || object.includes('等');
    if (rule.cls === 'event' || (rule.cls === 'duty' && (subject !== '' || listedObject || keepWhole))) {
      const fromObject =
        rule.cls === 'event' ||
        rule.verb === '超额完成' ||
        rule.verb === '完成' ||
        (rule.verb === '化解' && object.includes('等'));
      const listed = namedItems(fromObject ? object : subject);
      const items = keepWhole || listed.items.length === 0 ? [fromObject ? object : subject] : listed.items;
      if (rule.verb === '完成' && items.length >= 2) {
        const unit = categoryUnit(object) ?? '个';
        tasks.push({
          ...base,
          proposedKind: 'cumulative',
          name: `${rule.verb}${object}`,
          stage: rule.verb,
          items,
          count: { value: items.length, unit },
          start: clause.start,
          sourceStart,
          confidence: 0.65,
          doubts: [...doubts, `由列举项计数：${items.join('、')}（${items.length}${unit}）`],
        });
        continue;
      }
      for (const item of items) {
        const name = keepWhole
          ? `${subject}${rule.verb}${object}`
          : rule.cls === 'event'
            ? item
            : fromObject
              ? `${rule.verb}${item}`
              : `${item}${rule.verb}${object}`;
        tasks.push({
          ...base,
          proposedKind: KIND_BY_CLASS[rule.cls],
          name,
          stage: rule.verb,
          items: [item],
          start: clause.start + Math.max(0, clause.text.indexOf(item.slice(0, 2))),
          sourceStart,
          confidence: 0.6,
        });
      }
      continue;
    }
    // The district itself is the subject: 顺利通过国家卫生城市届满复审, 建成省级…示范县.
    if (object.length >= 2 && rule.cls !== 'duty') {
      tasks.push({
        ...base,
        proposedKind: KIND_BY_CLASS[rule.cls],
        name: `${subject}${rule.verb}${object}`,
        stage: rule.verb,
        items: [],
        start: clause.start + at,
        sourceStart,
        confidence: 0.6,
      });
    }
  }
  return tasks;
}
