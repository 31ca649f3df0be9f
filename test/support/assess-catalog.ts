import type { Catalog, IndicatorValue } from '../../functions/core/catalog/catalog-schema.ts';
import { assessIndicator, type IndicatorProgress } from '../../functions/core/progress/progress-engine.ts';

/**
 * Test oracle: assesses every indicator of the catalog at the end of `month`, in catalog order; an
 * indicator without a value is 未报送. `values` maps indicator code → accepted value.
 */
export function assessCatalog(
  catalog: Catalog,
  month: number,
  values: ReadonlyMap<string, IndicatorValue | undefined>,
): IndicatorProgress[] {
  return catalog.indicators.map((indicator) =>
    assessIndicator(indicator, { month, value: values.get(indicator.code) }, catalog.statusBands),
  );
}
