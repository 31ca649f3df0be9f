import { fillWorkbook } from '../../bin/cli/demo/fill-workbook.ts';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { ensureCatalog } from '../../functions/adapters/ensure-catalog.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { buildTemplate } from '../../functions/adapters/workbook/template-writer.ts';
import type { CatalogVersion } from '../../functions/core/catalog/catalog-schema.ts';
import type { DemoRow } from '../../functions/core/demo/demo-scenario.ts';
import { catalogTrajectories } from '../../functions/core/demo/trajectory.ts';
import { keys } from '../../functions/shared/storage-keys.ts';

/** Real department templates filled with the demo's figures, uploaded as a department would. */

export const YEAR = 2023;
export const LOADED_AT = new Date('2023-01-01T01:00:00Z');

export async function seedCatalog(): Promise<CatalogVersion> {
  return ensureCatalog(createStores(), YEAR, LOADED_AT, 'reliability-test');
}

/** The department's workbook for a month, filled with the demo trajectory's figures. */
export async function filledWorkbook(
  catalog: CatalogVersion,
  dept: string,
  month: number,
  override?: (row: DemoRow) => DemoRow,
): Promise<Uint8Array> {
  const period = `${YEAR}-${String(month).padStart(2, '0')}`;
  const trajectories = catalogTrajectories(catalog.catalog, 'reliability');
  const rows = catalog.catalog.indicators
    .filter((i) => i.dept === dept)
    .map((i): DemoRow => ({ code: i.code, value: trajectories.get(i.code)?.[month - 1] ?? 0 }))
    .map((r) => (override ? override(r) : r));
  const template = await buildTemplate({
    catalog: catalog.catalog,
    catalogVersion: catalog.version,
    dept,
    period,
    now: new Date(`${period}-28T00:00:00Z`),
  });
  return fillWorkbook(template, rows);
}

export async function putUpload(
  bucket: string,
  dept: string,
  period: string,
  file: string,
  bytes: Uint8Array,
) {
  const key = keys.incoming({ dept, period, file });
  await createObjectStore().put(bucket, key, bytes, { metadata: { uploader: `${dept}@test` } });
  return key;
}
