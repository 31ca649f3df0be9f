import * as z from 'zod/mini';
import type { IndicatorValue } from './catalog/catalog-schema.ts';
import { positiveInt } from './stored-record.ts';

/**
 * One department's accepted figures for one month: the atomic unit of storage (one
 * DynamoDB item per version, written with a conditional put, so no transaction is needed).
 * A correction (更正) is a new version; nothing old is overwritten.
 */
export interface SubmissionValue {
  readonly code: string;
  readonly value: IndicatorValue;
  /** 情况说明 the department wrote for this row, if any. */
  readonly note?: string;
}

export interface Submission {
  readonly dept: string;
  /** YYYY-MM */
  readonly period: string;
  /** 1, 2, 3 … per department and period. */
  readonly version: number;
  readonly catalogYear: number;
  readonly catalogVersion: number;
  readonly values: readonly SubmissionValue[];
  /** sha256 of the uploaded file (hex). */
  readonly sourceSha256: string;
  /** Object key of the original in raw/. */
  readonly rawKey: string;
  /** Upload key under incoming/. */
  readonly sourceKey: string;
  /**
   * Id of the upload event that produced this version (bucket, key, etag, S3 sequencer):
   * a redelivered event finds its version by it and writes nothing new.
   */
  readonly sourceEventId?: string;
  readonly uploader: string;
  /** ISO time the upload was received (S3 event time). */
  readonly receivedAt: string;
  readonly status: 'accepted';
  /** Set when version > 1: what changed against the previous version. */
  readonly correction?: SubmissionCorrection;
}

export interface ValueChange {
  readonly code: string;
  readonly before: IndicatorValue | null;
  readonly after: IndicatorValue | null;
}

export interface SubmissionCorrection {
  readonly previousVersion: number;
  readonly changes: readonly ValueChange[];
}

const indicatorValue = z.union([z.number(), z.string()]);

/** A submission version as stored: parsed on every read (stored-record.ts). */
export const submissionSchema = z.object({
  dept: z.string(),
  period: z.string(),
  version: positiveInt(),
  catalogYear: z.number().check(z.int()),
  catalogVersion: z.number().check(z.int()),
  values: z.array(z.object({ code: z.string(), value: indicatorValue, note: z.optional(z.string()) })),
  sourceSha256: z.string(),
  rawKey: z.string(),
  sourceKey: z.string(),
  sourceEventId: z.optional(z.string()),
  uploader: z.string(),
  receivedAt: z.string(),
  status: z.literal('accepted'),
  correction: z.optional(
    z.object({
      previousVersion: positiveInt(),
      changes: z.array(
        z.object({ code: z.string(), before: z.nullable(indicatorValue), after: z.nullable(indicatorValue) }),
      ),
    }),
  ),
});

export const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function parsePeriod(period: string): { year: number; month: number } | undefined {
  const m = PERIOD_PATTERN.exec(period);
  if (!m) return undefined;
  return { year: Number(m[1]), month: Number(m[2]) };
}

export function formatPeriod(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The month before `period` (2024-01 → 2023-12). */
export function previousPeriod(period: string): string | undefined {
  const p = parsePeriod(period);
  if (!p) return undefined;
  return p.month === 1 ? formatPeriod(p.year - 1, 12) : formatPeriod(p.year, p.month - 1);
}

/** Diff of two value lists by indicator code, in code order. */
export function diffValues(
  before: readonly SubmissionValue[],
  after: readonly SubmissionValue[],
): ValueChange[] {
  const a = new Map(before.map((v) => [v.code, v.value]));
  const b = new Map(after.map((v) => [v.code, v.value]));
  const codes = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: ValueChange[] = [];
  for (const code of codes) {
    const x = a.get(code) ?? null;
    const y = b.get(code) ?? null;
    if (x !== y) changes.push({ code, before: x, after: y });
  }
  return changes;
}
