import { sha256OfCanonicalJson } from './canonical-json.ts';
import { DEFAULT_SECTIONS, type Frequency } from './catalog-constants.ts';
import type { Catalog, Department, Indicator } from './catalog-schema.ts';

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

/** The catalog's section headings in order (the 2023 review's six when it states none). */
export function sectionsOf(catalog: Pick<Catalog, 'sections'>): readonly string[] {
  return catalog.sections ?? DEFAULT_SECTIONS;
}

/** A stock whose target equals its baseline: a level to hold all year, with no increment to share out. */
export function isFloorToHold(indicator: Indicator): boolean {
  return indicator.kind === 'stock' && indicator.baseline === indicator.target;
}

/** The frequency an indicator is judged at (kinds with a due month are looked at every month). */
export function frequencyOf(indicator: Indicator): Frequency {
  return 'frequency' in indicator ? indicator.frequency : 'monthly';
}

/** Is the indicator judged at the end of `month`? Quarterly: 3, 6, 9, 12; annual: 12. */
export function isJudgedIn(indicator: Indicator, month: number): boolean {
  switch (frequencyOf(indicator)) {
    case 'monthly':
      return true;
    case 'quarterly':
      return month % 3 === 0;
    case 'annual':
      return month === 12;
  }
}

/** The departments as a person names them, for messages: `fgw 发改委, tjj 统计局, …`. */
export function departmentList(departments: readonly Pick<Department, 'id' | 'shortName'>[]): string {
  return departments.map((d) => `${d.id} ${d.shortName}`).join(', ');
}

/**
 * A department named by its id (`fgw`), short name (`发改委`) or full name; undefined when
 * none matches. Ids win over names, so an id can never be shadowed.
 */
export function findDepartment(
  catalog: Pick<Catalog, 'departments'>,
  idOrName: string,
): Department | undefined {
  const wanted = idOrName.trim();
  return (
    catalog.departments.find((d) => d.id === wanted) ??
    catalog.departments.find((d) => d.shortName === wanted || d.name === wanted)
  );
}

/** "推进文旅项目" for a code of the catalog, the code itself otherwise. */
export function indicatorName(catalog: Pick<Catalog, 'indicators'>, code: string): string {
  return catalog.indicators.find((i) => i.code === code)?.name ?? code;
}

/** "文旅局" for a department id of the catalog, the id itself otherwise. */
export function deptShortName(catalog: Pick<Catalog, 'departments'>, id: string): string {
  return catalog.departments.find((d) => d.id === id)?.shortName ?? id;
}
