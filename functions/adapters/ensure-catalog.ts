import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Catalog, CatalogVersion } from '../core/catalog/catalog-schema.ts';
import { NotFoundError } from '../core/errors.ts';
import type { AuditLog, CatalogStore } from '../use-cases/ports/storage.ts';
import { loadCatalogFile, seedCatalogPath } from './catalog-files.ts';

interface CatalogStores {
  readonly catalogs: CatalogStore;
  readonly audit: AuditLog;
}

/** Stores a catalog as a new version (same content: no-op) and audits the load. */
export async function storeCatalog(
  stores: CatalogStores,
  catalog: Catalog,
  source: { readonly file: string; readonly now: Date; readonly actor: string; readonly seed?: boolean },
): Promise<{ version: CatalogVersion; unchanged: boolean }> {
  const stored = await stores.catalogs.put(catalog, source.now);
  const { version } = stored;
  await stores.audit.append({
    eventId: `catalog#${version.year}#v${version.version}`,
    at: source.now.toISOString(),
    action: 'catalog.loaded',
    actor: source.actor,
    period: String(version.year),
    detail: {
      file: basename(source.file),
      version: version.version,
      contentHash: version.contentHash,
      ...(source.seed ? { seed: true } : {}),
    },
  });
  return stored;
}

/**
 * The latest stored catalog of a year; when none is stored yet, the seed catalog shipped
 * in templates/catalogs/ is loaded first (and the load audited like `duban catalog load`),
 * so a first `duban template` or `duban ingest` works on a fresh data directory.
 */
export async function ensureCatalog(
  stores: CatalogStores,
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
      `no catalog ${year} is stored and there is no seed for ${year}; load one with: npx duban catalog load <file>`,
    );
  }
  const { version } = await storeCatalog(stores, await loadCatalogFile(file), {
    file,
    now,
    actor,
    seed: true,
  });
  return version;
}
