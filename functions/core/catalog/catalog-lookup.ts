import { sha256OfCanonicalJson } from './canonical-json.ts';
import type { Catalog, Indicator } from './catalog-schema.ts';

/** sha256 (hex) of the canonical JSON of the catalog: equal content, equal hash. */
export function catalogContentHash(catalog: Catalog): string {
  return sha256OfCanonicalJson(catalog);
}

/** Indicators a department leads (牵头), in catalog order. */
export function indicatorsForDept(catalog: Catalog, deptId: string): Indicator[] {
  return catalog.indicators.filter((i) => i.dept === deptId);
}

export function findIndicator(catalog: Catalog, code: string): Indicator | undefined {
  return catalog.indicators.find((i) => i.code === code);
}
