import { DEFAULT_SECTIONS } from '../catalog/catalog-constants.ts';
import { findInReport, type PartRole } from './draft-report.ts';
import type { Finding, ProposedKind } from './draft-types.ts';
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
  readonly kind: ProposedKind;
  /** The report's section heading (shortened to a familiar one when it starts with it). */
  readonly section: string;
  readonly dept: string;
  /** The keyword behind `dept`, or undefined when the table's fallback was used. */
  readonly deptKeyword?: string;
  readonly target: number | null;
  readonly targetBasis: 'stated' | 'derived' | typeof TO_FILL;
  /** Set when the keyword table says the figure is not published monthly (地区生产总值: quarterly). */
  readonly frequency?: 'quarterly' | 'annual';
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

/** 经济结构持续优化 → 经济结构 (a familiar heading it starts with), else the report's own heading. */
function sectionOf(heading: string | undefined): string {
  const text = (heading ?? '').replace(/^——/, '');
  return DEFAULT_SECTIONS.find((s) => text.startsWith(s)) ?? (text || '未分节');
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
    const section = sectionOf(finding.section);
    if (!sectionNumbers.has(section)) sectionNumbers.set(section, sectionNumbers.size + 1);
    const responsibility = responsibilityFor(options.keywords, finding.name, finding.sentence);
    const kind = finding.proposedKind;
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
    // A staged task's plan is its stages and months, not a number.
    const staged = kind === 'milestone' || kind === 'qualitative';
    indicators.push({
      finding,
      code,
      kind,
      section,
      dept: responsibility.dept,
      deptKeyword: responsibility.keyword,
      target: staged ? null : target,
      targetBasis:
        finding.role === 'target' && (staged || target !== null)
          ? 'stated'
          : finding.derivedTarget
            ? 'derived'
            : TO_FILL,
      ...(responsibility.frequency ? { frequency: responsibility.frequency } : {}),
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
