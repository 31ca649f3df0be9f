import { Document, isMap, isSeq, type Pair, type YAMLMap } from 'yaml';
import { type CatalogDraft, type DraftIndicator, TO_FILL } from './draft-catalog.ts';

/**
 * The draft as catalog YAML: every indicator the catalog needs, in report order, each in the
 * catalog's own kind (stock with its baseline, deadline with its due month, qualitative task
 * with its stages …), with a comment block above it that says where it comes from (offset in
 * the report), how sure the rules are and what the reviewer must check or fill. A value the
 * report does not give is `null` with the comment `待填 / to fill` (`targetBasis: to-fill`
 * for the target, `baseline` for a stock); `duban catalog check` lists each one by code and name.
 */

/** The month a drafted stage, one-off result or task is due until the office says otherwise. */
const DEFAULT_DUE_MONTH = 12;

function fmtValue(i: DraftIndicator): string {
  const f = i.finding;
  const staged = i.kind === 'milestone' || i.kind === 'qualitative';
  return staged || f.value === undefined ? (f.stage ?? '') : `${f.value}${f.unit ?? ''}`;
}

function commentFor(i: DraftIndicator): string {
  const f = i.finding;
  const lines = [
    `${i.code} ${f.name}：${fmtValue(i)}（原文第 ${f.offset} 字，可信度 ${f.confidence.toFixed(2)}）`,
  ];
  if (i.targetBasis === TO_FILL) lines.push('待填：报告未给出年度目标（target 与 targetBasis）');
  if (i.kind === 'stock') lines.push('待填：上年末基数（baseline），存量按计划增量判定');
  if (i.kind === 'milestone' || i.kind === 'deadline' || i.kind === 'qualitative')
    lines.push(`待核：阶段与到期月份暂按 ${DEFAULT_DUE_MONTH} 月`);
  if (i.frequency) lines.push(`按关键词表，该指标按${i.frequency === 'quarterly' ? '季' : '年'}判定`);
  if (f.derivedTarget) lines.push(`测算目标：${f.derivedTarget.arithmetic}`);
  if (!i.deptKeyword) lines.push('待核：责任单位未匹配关键词表，暂定为兜底单位');
  for (const doubt of f.doubts) lines.push(`待核：${doubt}`);
  return lines.map((l) => ` ${l}`).join('\n');
}

function noteOf(i: DraftIndicator): { note?: string } {
  const f = i.finding;
  const notes = [
    f.qualifier && f.value !== undefined
      ? `报告表述为“${f.qualifier}”，按${f.value}${f.unit ?? ''}记`
      : undefined,
    f.items && (f.items.length > 1 || f.value !== undefined) ? `列举：${f.items.join('、')}` : undefined,
  ].filter((n): n is string => n !== undefined);
  return notes.length > 0 ? { note: notes.join('；') } : {};
}

/** The fields of one indicator in the catalog's shape for its kind. */
function kindFields(i: DraftIndicator): Record<string, unknown> {
  const f = i.finding;
  const result = f.role === 'result';
  const stage = f.stage ?? '完成';
  switch (i.kind) {
    case 'milestone':
      return {
        stages: [{ stage, plannedMonth: DEFAULT_DUE_MONTH }],
        ...(result ? { reportedResult: stage } : {}),
      };
    case 'qualitative':
      return { stages: [stage], dueMonth: DEFAULT_DUE_MONTH, ...(result ? { reportedResult: stage } : {}) };
    case 'deadline':
      return {
        unit: f.unit ?? '项',
        target: i.target,
        dueMonth: DEFAULT_DUE_MONTH,
        ...(result && f.value !== undefined ? { reportedResult: f.value } : {}),
      };
    default:
      return {
        unit: f.unit,
        direction: i.kind === 'rank' ? 'lower' : f.direction,
        target: i.target,
        // A stock is judged on its increment from last year's level, which the report rarely gives.
        ...(i.kind === 'stock' ? { baseline: null } : {}),
        ...(result && f.value !== undefined ? { reportedResult: f.value } : {}),
        ...(i.frequency ? { frequency: i.frequency } : {}),
      };
  }
}

function indicatorData(i: DraftIndicator): Record<string, unknown> {
  const f = i.finding;
  return {
    code: i.code,
    // The catalog needs a name; one the rules could not find is a placeholder the comment flags.
    name: f.name || `待命名（${fmtValue(i)}）`,
    section: i.section,
    dept: i.dept,
    kind: i.kind,
    ...kindFields(i),
    targetBasis: i.targetBasis,
    ...(f.derivedTarget ? { arithmetic: f.derivedTarget.arithmetic } : {}),
    ...noteOf(i),
    source: f.sentence,
  };
}

export function renderDraftYaml(draft: CatalogDraft): string {
  const data = {
    year: draft.year,
    district: draft.district,
    title: draft.title,
    sourceDocument: draft.sourceDocument,
    sections: draft.sections,
    departments: draft.departments.map((d) => ({ ...d, emails: [] })),
    indicators: draft.indicators.map(indicatorData),
  };
  const doc = new Document(data);
  const toFill = draft.indicators.filter((i) => i.targetBasis === TO_FILL).length;
  doc.commentBefore = [
    ` ${draft.title}`,
    ' Drafted by `duban catalog draft` from the report; review every indicator, then fill the',
    ` ${toFill} target(s) marked to-fill (and each stock's baseline), run \`npx duban catalog check\`, and \`npx duban catalog load\`.`,
    ' 草稿：请逐项核对（名称、单位、类型、责任单位、到期月份），填写 targetBasis 为 to-fill 的年度目标和存量指标的上年基数。',
  ].join('\n');
  const sections = doc.get('sections', true);
  if (isSeq(sections)) sections.commentBefore = ' 板块：报告的分节标题，按出现顺序';
  const seq = doc.get('indicators', true);
  if (isSeq(seq)) {
    seq.items.forEach((node, index) => {
      const indicator = draft.indicators[index];
      if (!indicator || !isMap(node)) return;
      node.commentBefore = commentFor(indicator);
      for (const key of ['target', 'baseline']) {
        const pair = (node as YAMLMap).items.find((p: Pair) => String(p.key) === key);
        const value = pair?.value as { value?: unknown; comment?: string } | undefined;
        if (value && value.value === null) value.comment = ' 待填 / to fill';
      }
    });
  }
  const departments = doc.get('departments', true);
  if (isSeq(departments)) {
    departments.flow = false;
    departments.commentBefore =
      ' 责任单位按关键词表建议（templates/catalogs/draft-keywords.yaml）；emails 待填';
  }
  return doc.toString({ lineWidth: 0 });
}
