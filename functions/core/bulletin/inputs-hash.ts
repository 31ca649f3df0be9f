import { createHash } from 'node:crypto';
import type { Submission } from '../submission.ts';

/**
 * What a bulletin is built from. Two runs with equal inputs build the same bulletin, so the
 * second one issues nothing (reported as unchanged); a correction of any month of the year
 * up to the period (the trend charts show them all) changes the hash and makes a new version.
 */
export interface BulletinInputsSource {
  readonly period: string;
  readonly catalogYear: number;
  readonly catalogVersion: number;
  readonly catalogContentHash: string;
  /** The latest accepted submission of each department for each month of the year up to the period. */
  readonly submissions: readonly Pick<Submission, 'dept' | 'period' | 'version' | 'sourceSha256'>[];
}

/** Canonical text of the inputs: fixed key order, submissions sorted by period then department. */
export function canonicalInputs(source: BulletinInputsSource): string {
  const subs = [...source.submissions]
    .sort((a, b) => a.period.localeCompare(b.period) || a.dept.localeCompare(b.dept))
    .map((s) => [s.period, s.dept, s.version, s.sourceSha256]);
  return JSON.stringify([
    'duban-bulletin-inputs/1',
    source.period,
    source.catalogYear,
    source.catalogVersion,
    source.catalogContentHash,
    subs,
  ]);
}

export function bulletinInputsHash(source: BulletinInputsSource): string {
  return createHash('sha256').update(canonicalInputs(source), 'utf8').digest('hex');
}

/** period → dept → version, the form written into the manifest. */
export function submissionVersionsByPeriod(
  submissions: readonly Pick<Submission, 'dept' | 'period' | 'version'>[],
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const s of [...submissions].sort(
    (a, b) => a.period.localeCompare(b.period) || a.dept.localeCompare(b.dept),
  )) {
    const forPeriod = out[s.period] ?? {};
    forPeriod[s.dept] = s.version;
    out[s.period] = forPeriod;
  }
  return out;
}

/** The latest version of each department's submission for each period. */
export function latestSubmissions<T extends Pick<Submission, 'dept' | 'period' | 'version'>>(
  submissions: readonly T[],
): T[] {
  const best = new Map<string, T>();
  for (const s of submissions) {
    const key = `${s.period}#${s.dept}`;
    const seen = best.get(key);
    if (!seen || s.version > seen.version) best.set(key, s);
  }
  return [...best.values()].sort((a, b) => a.period.localeCompare(b.period) || a.dept.localeCompare(b.dept));
}

/** The inputs hash of a bulletin for `period` built from these submission versions (all of the year). */
export function inputsHashFor(
  catalog: { readonly year: number; readonly version: number; readonly contentHash: string },
  period: string,
  submissions: readonly Submission[],
): string {
  return bulletinInputsHash({
    period,
    catalogYear: catalog.year,
    catalogVersion: catalog.version,
    catalogContentHash: catalog.contentHash,
    submissions: latestSubmissions(submissions.filter((s) => s.period <= period)),
  });
}
