import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseCatalogYaml } from '../../functions/core/catalog/catalog-parse.ts';
import {
  type CatalogDraft,
  type DraftIndicator,
  draftCatalog,
} from '../../functions/core/catalog-draft/draft-catalog.ts';
import { normalise } from '../../functions/core/catalog-draft/report-text.ts';
import { type KeywordTable, parseKeywordTable } from '../../functions/core/catalog-draft/responsibility.ts';

/**
 * Recall and precision of a draft against hand labels (test/fixtures/catalog-draft/*.yaml): a label
 * is found when a draft item has its value and unit (or, for a task, its name) at a position inside
 * the label's passage of the report. Items that match no label are the false positives.
 */

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/catalog-draft');
const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Label {
  readonly value?: number;
  readonly unit?: string;
  readonly task?: string;
  readonly at: string;
  /** Where the label came from: the hand-made catalog or the fixture's own list. */
  readonly from: 'catalog' | 'fixture';
}

export interface LabelledReport {
  readonly name: string;
  readonly source: string;
  readonly text: string;
  readonly year: number;
  readonly district?: string;
  readonly labels: readonly Label[];
}

interface FixtureFile {
  source?: string;
  report?: string;
  reportFile?: string;
  catalog?: string;
  district?: string;
  year: number;
  figures?: { value?: number; unit?: string; task?: string; at: string }[];
}

function catalogLabels(file: string): Label[] {
  const catalog = parseCatalogYaml(readFileSync(path.join(ROOT, file), 'utf8'), path.basename(file));
  // A figure is its reported result and unit; a project, a task, or an amount the report names
  // without a figure (超额完成失业保险…目标, 压减一般性支出) is found by its name.
  return catalog.indicators.map((i) =>
    i.kind === 'milestone' || i.kind === 'qualitative' || i.reportedResult === undefined
      ? { task: i.name, at: i.source, from: 'catalog' as const }
      : { value: i.reportedResult, unit: i.unit, at: i.source, from: 'catalog' as const },
  );
}

export function loadLabelledReport(fileName: string): LabelledReport {
  const data = parse(readFileSync(path.join(FIXTURES, fileName), 'utf8')) as FixtureFile;
  const text = data.report ?? readFileSync(path.join(FIXTURES, data.reportFile ?? ''), 'utf8');
  const labels: Label[] = [
    ...(data.catalog ? catalogLabels(data.catalog) : []),
    ...(data.figures ?? []).map((f) => ({ ...f, from: 'fixture' as const })),
  ];
  return {
    name: fileName.replace(/\.yaml$/, ''),
    source: data.source ?? data.catalog ?? fileName,
    text,
    year: data.year,
    district: data.district,
    labels,
  };
}

/** The keyword table duban ships (templates/catalogs/draft-keywords.yaml). */
export function shippedKeywords(): KeywordTable {
  const file = path.join(ROOT, 'templates/catalogs/draft-keywords.yaml');
  return parseKeywordTable(readFileSync(file, 'utf8'), path.basename(file));
}

/** A labelled report and its draft, as `duban catalog draft` would make it. */
export function draftLabelled(
  fixture: string,
  keywords: KeywordTable,
): { report: LabelledReport; draft: CatalogDraft } {
  const report = loadLabelledReport(fixture);
  const draft = draftCatalog(report.text, {
    year: report.year,
    district: report.district,
    keywords,
    fileName: fixture,
  });
  return { report, draft };
}

export const LABELLED_REPORTS = [
  'jiefang-2023.yaml',
  'longgang-2013.yaml',
  'luzhou-2022.yaml',
  'hebei-county-2022.yaml',
  'longgang-2014-heldout.yaml',
];

function span(text: string, at: string): { start: number; end: number } {
  const start = normalise(text).indexOf(normalise(at));
  if (start < 0) throw new Error(`label passage not in the report: ${at}`);
  return { start, end: start + at.length };
}

const fold = (s: string) => normalise(s).replace(/\s/g, '');

function matches(label: Label, item: DraftIndicator, where: { start: number; end: number }): boolean {
  const f = item.finding;
  if (f.offset < where.start || f.offset >= where.end) return false;
  if (label.task !== undefined) {
    const said = fold([f.name, ...(f.items ?? [])].join('|'));
    const task = fold(label.task);
    // 金桂茗苑保交楼 is the draft's item 金桂茗苑 (化解金桂茗苑、平光南厂…等项目推进难题).
    const named = (f.items ?? []).some((item) => fold(item).length >= 2 && task.includes(fold(item)));
    return said.includes(task) || task.includes(fold(f.name)) || named;
  }
  return (
    f.value !== undefined && Math.abs(f.value - (label.value ?? Number.NaN)) < 1e-9 && f.unit === label.unit
  );
}

export interface Evaluation {
  readonly labels: number;
  readonly items: number;
  readonly found: number;
  readonly kept: number;
  readonly recall: number;
  readonly precision: number;
  readonly missed: readonly Label[];
  readonly falsePositives: readonly DraftIndicator[];
  /** Recall on the labels of one origin (the hand-made catalog's numeric figures, say). */
  recallOf(pred: (l: Label) => boolean): { found: number; of: number; recall: number };
}

export function evaluate(report: LabelledReport, draft: CatalogDraft): Evaluation {
  const used = new Set<DraftIndicator>();
  const foundLabels = new Set<Label>();
  // Exact names first, so 正阳路 does not take the item of 林园路(普济路-正阳路).
  const passes = [
    (l: Label, i: DraftIndicator) => l.task === undefined || fold(i.finding.name) === fold(l.task),
    () => true,
  ];
  for (const pass of passes) {
    for (const label of report.labels) {
      if (foundLabels.has(label)) continue;
      const where = span(report.text, label.at);
      const item = draft.indicators.find((i) => !used.has(i) && pass(label, i) && matches(label, i, where));
      if (item) {
        used.add(item);
        foundLabels.add(label);
      }
    }
  }
  const missed = report.labels.filter((l) => !foundLabels.has(l));
  const falsePositives = draft.indicators.filter((i) => !used.has(i));
  return {
    labels: report.labels.length,
    items: draft.indicators.length,
    found: foundLabels.size,
    kept: used.size,
    recall: foundLabels.size / report.labels.length,
    precision: draft.indicators.length === 0 ? 0 : used.size / draft.indicators.length,
    missed,
    falsePositives,
    recallOf(pred) {
      const of = report.labels.filter(pred);
      const found = of.filter((l) => foundLabels.has(l)).length;
      return { found, of: of.length, recall: of.length === 0 ? 1 : found / of.length };
    },
  };
}
