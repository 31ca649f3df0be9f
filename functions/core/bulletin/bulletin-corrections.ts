import type { Catalog } from '../catalog/catalog-schema.ts';
import { formatValue, NO_FIGURE } from '../format-decimal.ts';
import { diffValues, type Submission } from '../submission.ts';
import type { BulletinCorrections, CorrectionItem } from './bulletin-model.ts';
import { beijingTime } from './bulletin-period.ts';

/** What the last completed version of this period's bulletin was built from (its manifest). */
export interface PreviousBulletin {
  readonly version: number;
  /** period → dept → submission version. */
  readonly submissionVersions: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface CorrectionsInput {
  readonly catalog: Catalog;
  readonly period: string;
  /** Every submission version of the year up to the period. */
  readonly submissions: readonly Submission[];
  /** The latest version per department and period. */
  readonly latest: readonly Submission[];
  readonly previous?: PreviousBulletin;
  readonly lastIssuedAt?: string;
}

/** Summary sentences list at most this many changes; the table lists them all. */
const SUMMARY_ITEMS = 5;

/**
 * Corrections since the last bulletin. A re-issue (v2 …) lists every value that differs from
 * what its previous version was built from, in any month of the year. A first issue lists
 * corrections of earlier months received after the previous period's bulletin went out
 * (leaders saw those months' old figures); this month's own versions before the first issue
 * are not corrections anyone saw.
 */
export function buildCorrections(input: CorrectionsInput): BulletinCorrections {
  const versions = new Map(input.submissions.map((s) => [`${s.period}#${s.dept}#${s.version}`, s]));
  const items: CorrectionItem[] = [];
  for (const now of input.latest) {
    const base = baseVersion(input, now, versions);
    if (base === 'skip') continue;
    for (const change of diffValues(base?.values ?? [], now.values)) {
      items.push(item(input.catalog, now, base?.version ?? null, change));
    }
  }
  items.sort(
    (a, b) =>
      a.period.localeCompare(b.period) || a.dept.localeCompare(b.dept) || a.code.localeCompare(b.code),
  );
  const sinceVersion = input.previous?.version ?? null;
  return { sinceVersion, items, summary: summarise(sinceVersion, items, input.catalog) };
}

function baseVersion(
  input: CorrectionsInput,
  now: Submission,
  versions: Map<string, Submission>,
): Submission | undefined | 'skip' {
  if (input.previous) {
    const used = input.previous.submissionVersions[now.period]?.[now.dept];
    if (used === now.version) return 'skip';
    return used === undefined ? undefined : versions.get(`${now.period}#${now.dept}#${used}`);
  }
  if (now.period === input.period || now.version === 1) return 'skip';
  const seen = input.submissions
    .filter((s) => s.period === now.period && s.dept === now.dept && s.version < now.version)
    .filter((s) => input.lastIssuedAt === undefined || s.receivedAt <= input.lastIssuedAt)
    .sort((a, b) => b.version - a.version)[0];
  if (!seen) return 'skip';
  if (input.lastIssuedAt !== undefined && now.receivedAt <= input.lastIssuedAt) return 'skip';
  return seen;
}

function item(
  catalog: Catalog,
  now: Submission,
  fromVersion: number | null,
  change: ReturnType<typeof diffValues>[number],
): CorrectionItem {
  const indicator = catalog.indicators.find((i) => i.code === change.code);
  const dept = catalog.departments.find((d) => d.id === now.dept);
  const unit = indicator?.unit ?? '';
  return {
    period: now.period,
    dept: now.dept,
    deptName: dept?.name ?? now.dept,
    code: change.code,
    indicatorName: indicator?.name ?? change.code,
    before: change.before,
    after: change.after,
    beforeText: change.before === null ? NO_FIGURE : formatValue(change.before, unit),
    afterText: change.after === null ? NO_FIGURE : formatValue(change.after, unit),
    fromVersion,
    toVersion: now.version,
    receivedAt: now.receivedAt,
    receivedAtText: beijingTime(now.receivedAt),
  };
}

function summarise(sinceVersion: number | null, items: readonly CorrectionItem[], catalog: Catalog): string {
  const lead = sinceVersion === null ? '自上期通报以来' : `较第${sinceVersion}版`;
  if (items.length === 0) return `${lead}无数据更正。`;
  const shown = items.slice(0, SUMMARY_ITEMS).map((c) => {
    const short = catalog.departments.find((d) => d.id === c.dept)?.shortName ?? c.dept;
    const month = `${Number(c.period.slice(5))}月`;
    if (c.before === null) return `${month}${c.indicatorName}（${short}）补报为${c.afterText}`;
    return `${month}${c.indicatorName}（${short}）由${c.beforeText}改为${c.afterText}`;
  });
  const more = items.length > SUMMARY_ITEMS ? `等` : '';
  return `${lead}，更正${items.length}项数据：${shown.join('；')}${more}。`;
}
