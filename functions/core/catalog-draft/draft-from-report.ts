import { InputRejectedError } from '../errors.ts';
import { decodeReport, type ReportEncoding } from './decode-report.ts';
import { type CatalogDraft, draftCatalog, TO_FILL } from './draft-catalog.ts';
import { renderDraftYaml } from './draft-yaml.ts';
import type { KeywordTable } from './responsibility.ts';

/** The whole step, bytes in, YAML out: what `duban catalog draft` (and later the portal) runs. */

export interface DraftResult {
  readonly draft: CatalogDraft;
  readonly yaml: string;
  readonly encoding: ReportEncoding;
}

export function draftFromReport(
  bytes: Uint8Array,
  options: { fileName: string; year: number; district?: string; keywords: KeywordTable },
): DraftResult {
  const { text, encoding } = decodeReport(bytes, options.fileName);
  const draft = draftCatalog(text, options);
  if (draft.indicators.length === 0) {
    const years = draft.parts.map((p) => p.year).join(', ');
    throw new InputRejectedError(
      `${options.fileName}: no figure or task for ${options.year} was found` +
        (draft.skippedOtherYears > 0 ? ` (the report's parts concern ${years}; is --year right?)` : '') +
        ` / 未找到 ${options.year} 年的指标`,
    );
  }
  return { draft, yaml: renderDraftYaml(draft), encoding };
}

/** One finding as `--json` lists it. */
export function findingJson(i: CatalogDraft['indicators'][number]) {
  const f = i.finding;
  return {
    code: i.code,
    name: f.name,
    kind: i.kind,
    value: f.value ?? null,
    unit: f.unit ?? null,
    qualifier: f.qualifier ?? null,
    stage: f.stage ?? null,
    items: f.items ?? [],
    direction: f.direction,
    role: f.role,
    target: i.target,
    targetBasis: i.targetBasis,
    arithmetic: f.derivedTarget?.arithmetic ?? null,
    frequency: i.frequency ?? 'monthly',
    section: i.section,
    dept: i.dept,
    deptKeyword: i.deptKeyword ?? null,
    sentence: f.sentence,
    sentenceOffset: f.sentenceOffset,
    offset: f.offset,
    confidence: f.confidence,
    doubts: f.doubts,
  };
}

export function toFillCount(draft: CatalogDraft): number {
  return draft.indicators.filter((i) => i.targetBasis === TO_FILL).length;
}
