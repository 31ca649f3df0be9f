import { LEGACY_KINDS, LEGACY_TARGET_BASES } from './catalog-constants.ts';

/**
 * Catalogs written before the kinds were renamed say `kind: level` (now `stock`) and
 * `targetBasis: implied` (now `derived`, whose arithmetic was kept in `note`); a drafted
 * catalog writes `reportedResult: null` where the report gives no result. Files and
 * stored catalogs in those spellings keep working: this maps one indicator's raw data to
 * the current spelling and leaves everything else as it is. No schema library, so the
 * Lambda bundles can normalise what they read from the table.
 */
export function normalizeLegacyIndicator(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const record = raw as Record<string, unknown>;
  const kind = typeof record.kind === 'string' ? LEGACY_KINDS[record.kind] : undefined;
  const basis = typeof record.targetBasis === 'string' ? LEGACY_TARGET_BASES[record.targetBasis] : undefined;
  // `reportedResult: null` (a drafted target without a result) means no result.
  const noResult = record.reportedResult === null;
  if (kind === undefined && basis === undefined && !noResult) return raw;
  const out: Record<string, unknown> = { ...record };
  if (noResult) delete out.reportedResult;
  if (kind !== undefined) out.kind = kind;
  if (basis !== undefined) {
    out.targetBasis = basis;
    if (out.arithmetic === undefined && typeof record.note === 'string') out.arithmetic = record.note;
  }
  return out;
}

/** The same for a whole catalog's raw data (its indicators). */
export function normalizeLegacyCatalog<T>(raw: T): T {
  if (raw === null || typeof raw !== 'object') return raw;
  const record = raw as Record<string, unknown>;
  if (!Array.isArray(record.indicators)) return raw;
  return { ...record, indicators: record.indicators.map(normalizeLegacyIndicator) } as T;
}
