import type { Finding, FindingRole } from './draft-types.ts';
import { figureSpans, findFigures } from './find-figures.ts';
import { findTasks } from './find-tasks.ts';
import { type Heading, readReport, type Sentence } from './report-text.ts';

/**
 * From the report's text to findings: which parts review which year and which plan it, then every
 * figure and task of the parts that concern the catalog year, each with its sentence and offset.
 */

export interface PartRole {
  readonly heading?: Heading;
  readonly role: FindingRole;
  readonly year: number;
}

export interface ReportFindings {
  readonly findings: readonly Finding[];
  /** Year of the report itself (——2024年2月21日…), when the header says it. */
  readonly reportYear?: number;
  readonly parts: readonly PartRole[];
  /** Figures and tasks left out because their part concerns another year. */
  readonly skippedOtherYears: number;
  readonly sentences: number;
}

const REPORT_DATE = /——\s*(\d{4})年\d{1,2}月\d{1,2}日/;

function classify(heading: Heading, reportYear: number | undefined): Omit<PartRole, 'heading'> | undefined {
  const year = /(\d{4})年/.exec(heading.text)?.[1];
  if (/回顾|总结/.test(heading.text)) {
    const y = year ? Number(year) : reportYear !== undefined ? reportYear - 1 : undefined;
    return y === undefined ? undefined : { role: 'result', year: y };
  }
  if (/安排|目标|任务|重点|计划|打算|展望|总体要求/.test(heading.text)) {
    const y = year ? Number(year) : reportYear;
    return y === undefined ? undefined : { role: 'target', year: y };
  }
  return undefined;
}

/** Each level-1 part gets a role; parts that say neither inherit the role of the part before. */
function partRoles(headings: readonly Heading[], reportYear: number | undefined, year: number) {
  const roles = new Map<Heading | undefined, PartRole>();
  let previous: PartRole | undefined;
  for (const h of headings) {
    if (h.level !== 1) continue;
    const c = classify(h, reportYear);
    const role: PartRole | undefined = c
      ? { heading: h, ...c }
      : previous && { heading: h, role: previous.role, year: previous.year };
    if (role) roles.set(h, role);
    previous = role ?? previous;
  }
  const anyPart = headings.some((h) => h.level === 1);
  // No 一、… parts at all: the whole text is taken as the catalog year's review.
  const fallback: PartRole | undefined = anyPart ? undefined : { role: 'result', year };
  return (s: Sentence): PartRole | undefined => (s.part ? roles.get(s.part) : fallback);
}

function sectionName(s: Sentence): string | undefined {
  return (s.section ?? s.part)?.text;
}

export function findInReport(text: string, year: number): ReportFindings {
  const report = readReport(text);
  const dated = REPORT_DATE.exec(report.norm.slice(0, 400));
  const reportYear = dated?.[1] ? Number(dated[1]) : undefined;
  const roleOf = partRoles(report.headings, reportYear, year);
  const findings: Finding[] = [];
  let skippedOtherYears = 0;
  for (const sentence of report.sentences) {
    const part = roleOf(sentence);
    const figures = findFigures(sentence);
    const tasks = findTasks(sentence, figureSpans(sentence));
    if (!part) continue;
    if (part.year !== year) {
      skippedOtherYears += figures.length + tasks.length;
      continue;
    }
    const at = (sentenceRelative: number) => sentence.offset + sentenceRelative;
    const quoted = (from: number) => sentence.text.slice(from).replace(/^[,，、:：\s]+/, '');
    const quotedOffset = (from: number) =>
      at(from + (sentence.text.slice(from).length - quoted(from).length));
    for (const f of figures) {
      findings.push({
        proposedKind: f.proposedKind,
        name: f.name,
        value: f.value,
        unit: f.unit,
        qualifier: f.qualifier,
        stage: f.standing ? `进入${f.standing}` : undefined,
        direction: f.direction,
        role: part.role,
        derivedTarget: f.derivedTarget,
        sentence: quoted(f.sourceStart),
        sentenceOffset: quotedOffset(f.sourceStart),
        offset: at(f.start),
        section: sectionName(sentence),
        confidence: f.confidence,
        doubts: f.doubts,
      });
    }
    for (const t of tasks) {
      findings.push({
        proposedKind: t.proposedKind,
        name: t.name,
        value: t.value,
        unit: t.unit,
        stage: t.stage,
        derivedTarget: t.derivedTarget,
        direction: t.direction,
        role: part.role,
        items: t.items,
        sentence: quoted(t.sourceStart),
        sentenceOffset: quotedOffset(t.sourceStart),
        offset: at(t.start),
        section: sectionName(sentence),
        confidence: t.confidence,
        doubts: t.doubts,
      });
    }
  }
  findings.sort((a, b) => a.offset - b.offset);
  const parts = [...new Set(report.sentences.map(roleOf))].filter((p): p is PartRole => p !== undefined);
  return { findings, reportYear, parts, skippedOtherYears, sentences: report.sentences.length };
}
