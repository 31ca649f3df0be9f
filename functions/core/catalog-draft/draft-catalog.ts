import { SECTIONS } from '../catalog/catalog-constants.ts';
import { findInReport, type PartRole } from './draft-report.ts';
import { catalogKind, type DraftKind, type Finding } from './draft-types.ts';
import { type KeywordTable, responsibilityFor } from './responsibility.ts';

/**
 * Findings → draft indicators: a code, the section, the proposed 责任单位, the catalog kind and
 * what the reviewer still has to fill. Pure: the CLI reads the files and writes the YAML.
 */

/** targetBasis of an indicator whose target the report does not give; `catalog check` names each. */
export const TO_FILL = 'to-fill';

export interface DraftIndicator {
  readonly finding: Finding;
  readonly code: string;
  readonly kind: DraftKind;
  readonly section: string;
  /** True when `section` is one of the catalog's known headings. */
  readonly sectionKnown: boolean;
  readonly dept: string;
  /** The keyword behind `dept`, or undefined when the table's fallback was used. */
  readonly deptKeyword?: string;
  readonly target: number | null;
  readonly targetBasis: 'stated' | 'implied' | typeof TO_FILL;
}

export interface CatalogDraft {
  readonly year: number;
  readonly district: string;
  readonly title: string;
  readonly sourceDocument: string;
  /** The report's section headings in order (as the catalog's `sections`). */
  readonly sections: readonly string[];
  readonly departments: readonly { id: string; name: string; shortName: string }[];
  readonly indicators: readonly DraftIndicator[];
  readonly parts: readonly PartRole[];
  readonly skippedOtherYears: number;
  readonly sentences: number;
}

export interface DraftOptions {
  readonly year: number;
  /** The district's name; read from the report's header when absent. */
  readonly district?: string;
  readonly keywords: KeywordTable;
  /** Shown in sourceDocument when the report has no header line. */
  readonly fileName: string;
}

const DISTRICT_IN_HEADER = /([\u4e00-\u9fa5]{2,8}?(?:区|县|市|旗))人民政府/;

function headerOf(text: string): { title?: string; district?: string } {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 4);
  const headerLines: string[] = [];
  for (const line of lines) {
    if (/各位代表|^[一二三四五六七八九十]+、/.test(line)) break;
    headerLines.push(line);
  }
  const header = headerLines.join(' ');
  return { title: header || undefined, district: DISTRICT_IN_HEADER.exec(header)?.[1] };
}

/** 经济结构持续优化 → 经济结构 (a known heading it starts with), else the report's own heading. */
function sectionOf(heading: string | undefined): { section: string; known: boolean } {
  const text = (heading ?? '').replace(/^——/, '');
  const known = SECTIONS.find((s) => text.startsWith(s));
  return known ? { section: known, known: true } : { section: text || '未分节', known: false };
}

const KIND_SUFFIX: Readonly<Record<string, string>> = { rate: '', rank: '-RANK' };

export function draftCatalog(text: string, options: DraftOptions): CatalogDraft {
  const found = findInReport(text, options.year);
  const header = headerOf(text);
  const district = options.district ?? header.district ?? '本区';
  const sectionNumbers = new Map<string, number>();
  const codes = new Set<string>();
  const indicators: DraftIndicator[] = [];
  let serial = 0;
  for (const finding of found.findings) {
    const { section, known } = sectionOf(finding.section);
    if (!sectionNumbers.has(section)) sectionNumbers.set(section, sectionNumbers.size + 1);
    const responsibility = responsibilityFor(options.keywords, finding.name, finding.sentence);
    const kind = catalogKind(
      finding.proposedKind === 'deadline' && finding.value !== undefined
        ? 'cumulative'
        : finding.proposedKind,
    );
    serial++;
    const growth = finding.unit === '%' && finding.name.endsWith('增速') ? '-GROWTH' : '';
    const share = finding.unit === '%' && !growth ? '-SHARE' : '';
    const stem = responsibility.codeStem
      ? `${responsibility.codeStem}${growth || share || (KIND_SUFFIX[kind] ?? '')}`
      : String(serial).padStart(3, '0');
    let code = `S${sectionNumbers.get(section)}-${stem}`;
    for (let n = 2; codes.has(code); n++) code = `S${sectionNumbers.get(section)}-${stem}-${n}`;
    codes.add(code);
    const target =
      finding.role === 'target' && finding.value !== undefined
        ? finding.value
        : (finding.derivedTarget?.value ?? null);
    indicators.push({
      finding,
      code,
      kind,
      section,
      sectionKnown: known,
      dept: responsibility.dept,
      deptKeyword: responsibility.keyword,
      target: kind === 'milestone' ? null : target,
      targetBasis: finding.role === 'target' ? 'stated' : finding.derivedTarget ? 'implied' : TO_FILL,
    });
  }
  const used = new Set(indicators.map((i) => i.dept));
  const departments = options.keywords.departments
    .filter((d) => used.has(d.id))
    .map((d) => ({ id: d.id, shortName: d.shortName, name: d.name.replaceAll('{district}', district) }));
  return {
    year: options.year,
    district,
    title: `${district}${options.year}年政府工作报告目标任务督办清单（草稿）`,
    sourceDocument: header.title ?? options.fileName,
    sections: [...sectionNumbers.keys()],
    departments,
    indicators,
    parts: found.parts,
    skippedOtherYears: found.skippedOtherYears,
    sentences: found.sentences,
  };
}
