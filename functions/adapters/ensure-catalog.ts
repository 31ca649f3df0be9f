import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CatalogVersion } from '../core/catalog/catalog-schema.ts';
import { NotFoundError } from '../core/errors.ts';
import type { AuditLog, CatalogStore } from '../core/ports.ts';
import { loadCatalogFile, seedCatalogPath } from './catalog-files.ts';

/**
 * The latest stored catalog of a year; when none is stored yet, the seed catalog shipped
 * in templates/catalogs/ is loaded first (and the load audited like `duban catalog load`),
 * so a first `duban template` or `duban ingest` works on a fresh data directory.
 */
export async function ensureCatalog(
  stores: { readonly catalogs: CatalogStore; readonly audit: AuditLog },
  year: number,
  now: Date,
  actor: string,
): Promise<CatalogVersion> {
  const stored = await stores.catalogs.get(year);
  if (stored) return stored;
  const file = seedCatalogPath(year);
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (!exists) {
    throw new NotFoundError(
      `no catalog ${year} is stored and there is no seed for ${year}; load one with: duban catalog load <file>`,
    );
  }
  const { version } = await stores.catalogs.put(await loadCatalogFile(file), now);
  await stores.audit.append({
    eventId: `catalog#${version.year}#v${version.version}`,
    at: now.toISOString(),
    action: 'catalog.loaded',
    actor,
    period: String(version.year),
    detail: { file: basename(file), version: version.version, contentHash: version.contentHash, seed: true },
  });
  return version;
}
