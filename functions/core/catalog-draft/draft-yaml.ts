import { Document, isMap, isSeq, type Pair, type YAMLMap } from 'yaml';
import { NOT_STARTED_STAGE } from '../catalog/catalog-constants.ts';
import { type CatalogDraft, type DraftIndicator, TO_FILL } from './draft-catalog.ts';

/**
 * The draft as catalog YAML: every indicator the catalog needs, in report order, with a comment
 * block above each that says where it comes from (offset in the report), how sure the rules are
 * and what the reviewer must check or fill. `targetBasis: to-fill` with `target: null` marks a
 * target the report does not give; `duban catalog check` lists each one by code and name.
 */

/** The month a drafted stage is planned for until the office says otherwise. */
const DEFAULT_PLANNED_MONTH = 12;

function fmtValue(i: DraftIndicator): string {
  const f = i.finding;
  return f.value === undefined ? (f.stage ?? '') : `${f.value}${f.unit ?? ''}`;
}

function commentFor(i: DraftIndicator): string {
  const f = i.finding;
  const lines = [
    `${i.code} ${f.name}：${fmtValue(i)}（原文第 ${f.offset} 字，可信度 ${f.confidence.toFixed(2)}）`,
  ];
  if (f.proposedKind !== 'cumulative' && f.proposedKind !== i.kind)
    lines.push(`建议类型：${f.proposedKind}（当前目录格式记为 ${i.kind}）`);
  if (i.targetBasis === TO_FILL) lines.push('待填：报告未给出年度目标（target 与 targetBasis）');
  if (i.kind === 'level') lines.push('待填：上年末基数（baseline），存量按计划增量判定');
  if (f.derivedTarget) lines.push(`测算目标：${f.derivedTarget.arithmetic}`);
  if (!i.deptKeyword) lines.push('待核：责任单位未匹配关键词表，暂定为兜底单位');
  if (!i.sectionKnown) lines.push(`待核：板块“${i.section}”不在目录的板块清单中`);
  for (const doubt of f.doubts) lines.push(`待核：${doubt}`);
  return lines.map((l) => ` ${l}`).join('\n');
}

function indicatorData(i: DraftIndicator): Record<string, unknown> {
  const f = i.finding;
  const base: Record<string, unknown> = { code: i.code, name: f.name, section: i.section, dept: i.dept };
  if (i.kind === 'milestone') {
    const stage = f.stage ?? '完成';
    return {
      ...base,
      kind: 'milestone',
      stages: [{ stage, plannedMonth: DEFAULT_PLANNED_MONTH }],
      reportedResult: f.role === 'result' ? stage : NOT_STARTED_STAGE,
      targetBasis: i.targetBasis === 'stated' ? 'stated' : TO_FILL,
      ...(f.items && f.items.length > 1 ? { note: `列举：${f.items.join('、')}` } : {}),
      source: f.sentence,
    };
  }
  const notes = [
    f.derivedTarget ? `年度目标按报告测算：${f.derivedTarget.arithmetic}` : undefined,
    f.qualifier ? `报告表述为“${f.qualifier}”，按${f.value}${f.unit ?? ''}记` : undefined,
    f.items && f.items.length > 0 && f.value !== undefined ? `列举：${f.items.join('、')}` : undefined,
  ].filter(Boolean);
  return {
    ...base,
    unit: f.unit,
    kind: i.kind,
    direction: i.kind === 'rank' ? 'lower' : f.direction,
    target: i.target,
    // A stock is judged on its increment from last year's level, which the report rarely gives.
    ...(i.kind === 'level' ? { baseline: null } : {}),
    ...(f.role === 'result' ? { reportedResult: f.value ?? null } : {}),
    targetBasis: i.targetBasis,
    ...(f.derivedTarget ? { arithmetic: f.derivedTarget.arithmetic } : {}),
    ...(notes.length > 0 ? { note: notes.join('；') } : {}),
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
    ` ${toFill} target(s) marked to-fill, run \`duban catalog check\`, and \`duban catalog load\`.`,
    ' 草稿：请逐项核对（名称、单位、类型、责任单位），填写 targetBasis 为 to-fill 的年度目标。',
  ].join('\n');
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
