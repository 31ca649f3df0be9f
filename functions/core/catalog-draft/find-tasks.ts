import type { DerivedTarget, ProposedKind } from './draft-types.ts';
import { LEADING_FILLERS } from './figure-words.ts';
import type { Sentence } from './report-text.ts';
import { clausesOf, quotedMask, stripLeading, stripTrailing } from './sentence-context.ts';

/**
 * Named projects and qualitative tasks: a clause without a figure whose verb reports a result —
 * a stage (开工建设, 建成通车, 落地, 启动), an honour (获评, 入选, 通过…复审), an event (举办), a task
 * (推行实施…新模式, …工作扎实推进) or a duty (足额发放, 超额完成…目标, 压减, 化解). Named items before the
 * verb become one project each; honours and events become one-off results counted in the unit of
 * what they name (三泰机械、盛世高科被评为…企业 → 2家, 举办三个会 → 3场); 足额发放 is a 100% rate;
 * 压减 an amount where lower is better.
 */

export interface SentenceTask {
  readonly proposedKind: ProposedKind;
  readonly name: string;
  readonly stage: string;
  readonly items: readonly string[];
  /** A count of the named items (honours, events) or a rate (足额发放: 100%). */
  readonly value?: number;
  /** The count's unit, or the proposed unit of an amount the report names without a figure. */
  readonly unit?: string;
  readonly derivedTarget?: DerivedTarget;
  readonly direction: 'higher' | 'lower';
  /** Offsets within the sentence. */
  readonly start: number;
  readonly sourceStart: number;
  readonly confidence: number;
  readonly doubts: string[];
}

type VerbClass = 'stage' | 'honour' | 'event' | 'task' | 'duty';

interface VerbRule {
  readonly verb: string;
  readonly cls: VerbClass;
  /** The object must contain one of these for the verb to count (通过…复审). */
  readonly objectNeeds?: RegExp;
  /** The clause must contain one of these (…等重点领域风险有力化解). */
  readonly clauseNeeds?: RegExp;
  /** Tasks: whether the named items stand before the verb (…工作扎实推进) or after it (推行实施…). */
  readonly itemsIn?: 'subject' | 'object';
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
  { verb: '推行实施', cls: 'task', objectNeeds: /模式|机制|制度|改革/, itemsIn: 'object' },
  // 不良资产清收、非法集资处置工作扎实推进: a list of named pieces of work, not a slogan.
  { verb: '推进', cls: 'task', clauseNeeds: /、[^,，]*工作(扎实|有序|稳步|深入)?推进$/, itemsIn: 'subject' },
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
  [/村|乡镇|社区|街区|街道|平台|中心|园区|基地|工程|景区|示范区|品牌/, '个'],
  [/项目|清单|奖/, '项'],
  [/街(?!区|道)|路段|线路|道路|河道/, '条'],
];

/** The noun that ends a named subject, when it says how its items are counted (商业街 → 条). */
const SUBJECT_UNIT = /(?:商业街|步行街|街|路段|线路|道路|河道)$/;

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

/** Where the shared tail of a list starts in its last item (二十中|教学楼改扩建工程, 优抚|对象生活补助). */
const SHARED_TAIL = /教学楼|综合楼|宿舍楼|改扩建|改造|对象|工程|项目|中心|市定目标|目标/;

/** 超级云计算中心 + 中心项目 → 超级云计算中心项目: the tail, less what the item already ends with. */
function withTail(item: string, tail: string): string {
  for (let k = Math.min(item.length, tail.length); k > 0; k--) {
    if (item.endsWith(tail.slice(0, k))) return item + tail.slice(k);
  }
  return item + tail;
}

/**
 * 虎石新材料、手拉手汽车智慧产业园项目 → both, each a 项目; 幸小、环一、二十中教学楼改扩建工程 → three
 * 教学楼改扩建工程; 金桂茗苑、平光南厂、城际花园等项目 → three.
 */
function namedItems(text: string): { items: string[] } {
  const etc = text.indexOf('等');
  const listed = etc > 0 ? text.slice(0, etc) : text;
  const items = listed
    .split('、')
    .map((s) => s.trim())
    .filter((s) => s.length >= 2);
  const last = items[items.length - 1] ?? '';
  const at = items.length > 1 ? SHARED_TAIL.exec(last) : null;
  const tail = at && at.index > 0 ? last.slice(at.index) : '';
  return { items: items.map((item, i) => (tail && i < items.length - 1 ? withTail(item, tail) : item)) };
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

/** Honours held rather than won once (保持…称号): a standing task, not a one-off result. */
const STANDING_VERBS: ReadonlySet<string> = new Set(['保持']);
/** 失业保险、工伤保险市定目标 → the items 失业保险, 工伤保险 and the target they share. */
const TARGET_TAIL = /(?:市定|省定|年度|上级下达的?)?目标(?:任务)?$/;
/** The unit an amount the report names without a figure is proposed in (压减一般性支出). */
const SPENDING_UNIT = '万元';

function unitOfHonour(items: readonly string[], object: string): string {
  const last = items[items.length - 1] ?? '';
  if (SUBJECT_UNIT.test(last)) return '条';
  return categoryUnit(object) ?? '项';
}

type TaskFields = Omit<SentenceTask, 'direction' | 'doubts' | 'sourceStart'> & { doubts?: string[] };

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
    const direction = rule.verb === '压减' ? ('lower' as const) : ('higher' as const);
    const push = (t: TaskFields) =>
      tasks.push({ ...t, direction, doubts: [...doubts, ...(t.doubts ?? [])], sourceStart: clause.start });
    const startOf = (item: string) => clause.start + Math.max(0, clause.text.indexOf(item.slice(0, 2)));
    const stage = rule.verb;

    switch (rule.cls) {
      case 'stage': {
        if (subject === '') break;
        for (const item of namedItems(subject).items) {
          push({
            proposedKind: 'milestone',
            name: item,
            stage,
            items: [item],
            start: startOf(item),
            confidence: 0.75,
          });
        }
        continue;
      }
      case 'honour': {
        if (STANDING_VERBS.has(rule.verb)) {
          const name = `${subject}${rule.verb}${object}`;
          push({
            proposedKind: 'qualitative',
            name,
            stage,
            items: [],
            start: clause.start + at,
            confidence: 0.6,
          });
          continue;
        }
        const items = subject === '' ? [] : namedItems(subject).items;
        const value = Math.max(items.length, 1);
        const unit = unitOfHonour(items, object);
        push({
          proposedKind: 'deadline',
          name: `${items.length === 1 ? items[0] : ''}${rule.verb}${object}`,
          stage,
          items,
          value,
          unit,
          start: items.length > 0 ? clause.start : clause.start + at,
          confidence: 0.7,
          doubts: items.length > 1 ? [`由列举项计数：${items.join('、')}（${value}${unit}）`] : [],
        });
        continue;
      }
      case 'event': {
        const listed = namedItems(object).items;
        const items = listed.length > 0 ? listed : [object];
        push({
          proposedKind: 'deadline',
          name: `${rule.verb}${items.join('、')}`,
          stage,
          items,
          value: items.length,
          unit: '场',
          start: startOf(items[0] ?? object),
          confidence: 0.6,
          doubts: items.length > 1 ? [`由列举项计数：${items.join('、')}（${items.length}场）`] : [],
        });
        continue;
      }
      case 'task': {
        if (rule.itemsIn === 'object') {
          if (subject !== '') doubts.push(`报告称“${subject}”`);
          const name = `${rule.verb}${object}`;
          push({
            proposedKind: 'qualitative',
            name,
            stage,
            items: [object],
            start: clause.start + at,
            confidence: 0.6,
          });
          continue;
        }
        for (const item of namedItems(subject).items.map((i) => i.replace(/工作$/, ''))) {
          push({
            proposedKind: 'qualitative',
            name: item,
            stage,
            items: [item],
            start: startOf(item),
            confidence: 0.55,
          });
        }
        continue;
      }
      case 'duty':
        if (pushDuty(rule.verb, subject, object, push, startOf)) continue;
        break;
    }
    // The district itself is the subject: 顺利通过国家卫生城市届满复审, 建成省级…示范县.
    if (object.length >= 2 && rule.cls === 'stage') {
      push({
        proposedKind: 'milestone',
        name: `${subject}${rule.verb}${object}`,
        stage,
        items: [],
        start: clause.start + at,
        confidence: 0.6,
      });
    }
  }
  return tasks;
}

/** Duties: what each verb makes of its subject or object. False when the clause says too little. */
function pushDuty(
  verb: string,
  subject: string,
  object: string,
  push: (t: TaskFields) => void,
  startOf: (item: string) => number,
): boolean {
  const stage = verb;
  switch (verb) {
    case '足额发放':
      // 低保、优抚对象生活补助足额发放: each paid in full, a rate of 100%.
      for (const item of namedItems(subject || object).items) {
        push({
          proposedKind: 'rate',
          name: `${item}足额发放率`,
          stage,
          items: [item],
          value: 100,
          unit: '%',
          derivedTarget: { value: 100, arithmetic: '足额发放 = 100%' },
          start: startOf(item),
          confidence: 0.6,
        });
      }
      return true;
    case '压减':
      // 压减一般性支出和“三公”经费支出: amounts to hold down, whose sums the report does not give.
      for (const item of (object || subject).split(/和|、|及/).filter((i) => i.length >= 2)) {
        push({
          proposedKind: 'cumulative',
          name: item,
          stage,
          items: [item],
          unit: SPENDING_UNIT,
          start: startOf(item),
          confidence: 0.5,
          doubts: [`报告未给出数额，单位暂按${SPENDING_UNIT}：请核对`],
        });
      }
      return true;
    case '超额完成': {
      const tail = TARGET_TAIL.exec(object)?.[0] ?? '';
      for (const item of namedItems(object.slice(0, object.length - tail.length)).items) {
        push({
          proposedKind: 'qualitative',
          name: `${verb}${item}${tail}`,
          stage,
          items: [item],
          start: startOf(item),
          confidence: 0.55,
        });
      }
      return true;
    }
    case '完成': {
      // 完成幸小、环一、二十中教学楼改扩建工程: one project each.
      const items = namedItems(object).items;
      if (items.length < 2 && subject === '') return false;
      for (const item of items) {
        const kind = items.length >= 2 ? 'milestone' : 'qualitative';
        push({
          proposedKind: kind,
          name: kind === 'milestone' ? item : `${verb}${item}`,
          stage,
          items: [item],
          start: startOf(item),
          confidence: 0.6,
        });
      }
      return true;
    }
    default: {
      // 化解金桂茗苑、平光南厂…等项目推进难题 (items after the verb); 中小企业账款清欠等…风险有力化解 (before).
      const fromObject = object.includes('等') && !subject.includes('等');
      const text = fromObject ? object : subject;
      if (text === '') return false;
      const listed = namedItems(text).items;
      for (const item of listed.length > 0 ? listed : [text]) {
        const name = fromObject ? `${verb}${item}` : `${item}${verb}${object}`;
        push({
          proposedKind: 'qualitative',
          name,
          stage,
          items: [item],
          start: startOf(item),
          confidence: 0.6,
        });
      }
      return true;
    }
  }
}
