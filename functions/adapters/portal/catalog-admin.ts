import { parseCatalogYaml } from '../../core/catalog/catalog-parse.ts';
import type { Catalog } from '../../core/catalog/catalog-schema.ts';
import { InputRejectedError } from '../../core/errors.ts';
import type { CatalogAdmin } from '../../use-cases/ports/portal.ts';
import type { AuditLog, CatalogStore } from '../../use-cases/ports/storage.ts';
import { storeCatalog } from '../ensure-catalog.ts';

/**
 * Catalogs for the pages, through the CatalogStore port. Years are found by asking for each
 * year around now (a catalog item's key is its year; there is no list of years). Both the
 * years and each year's latest catalog are kept for `cacheMs` (30 s), because every page
 * about a month reads them; a load through the portal forgets them at once, a load from the
 * CLI shows within `cacheMs`.
 */
export interface CatalogAdminDeps {
  readonly catalogs: CatalogStore;
  readonly audit: AuditLog;
  readonly clock: () => Date;
  /** Years before the current one that are looked for (default 10). */
  readonly lookBackYears?: number;
  readonly cacheMs?: number;
}

function summaryOf(c: Catalog): string {
  return `${c.district} ${c.year} 年:${c.indicators.length} 项指标,${c.departments.length} 个责任单位`;
}

export function createCatalogAdmin(deps: CatalogAdminDeps): CatalogAdmin {
  const cacheMs = deps.cacheMs ?? 30_000;
  let cached: { at: number; years: Promise<number[]> } | undefined;
  // Every page about a month reads that year's catalog; it changes only when one is loaded.
  const latestByYear = new Map<number, { at: number; catalog: ReturnType<CatalogStore['get']> }>();

  function parse(yaml: string, fileName: string): Catalog | readonly string[] {
    try {
      return parseCatalogYaml(yaml, fileName);
    } catch (error) {
      if (error instanceof InputRejectedError) return error.problems;
      throw error;
    }
  }

  return {
    years() {
      const now = deps.clock();
      if (!cached || now.getTime() - cached.at > cacheMs) {
        const current = now.getUTCFullYear() + 1;
        const candidates = Array.from({ length: (deps.lookBackYears ?? 10) + 2 }, (_, i) => current - i);
        const years = Promise.all(
          candidates.map(async (y) => ((await deps.catalogs.get(y)) ? y : undefined)),
        ).then((found) => found.filter((y): y is number => y !== undefined).sort((a, b) => a - b));
        years.catch(() => {
          cached = undefined;
        });
        cached = { at: now.getTime(), years };
      }
      return cached.years;
    },
    latest(year) {
      const now = deps.clock().getTime();
      const hit = latestByYear.get(year);
      if (hit && now - hit.at <= cacheMs) return hit.catalog;
      const catalog = deps.catalogs.get(year);
      catalog.catch(() => latestByYear.delete(year));
      latestByYear.set(year, { at: now, catalog });
      return catalog;
    },
    versions: (year) => deps.catalogs.list(year),
    async check(yaml, fileName) {
      const parsed = parse(yaml, fileName);
      return Array.isArray(parsed)
        ? { ok: false, problems: parsed }
        : { ok: true, summary: summaryOf(parsed as Catalog) };
    },
    async load(yaml, fileName, actor) {
      const parsed = parse(yaml, fileName);
      if (Array.isArray(parsed)) throw new InputRejectedError(`${fileName}: 目录未通过检查`, parsed);
      const stored = await storeCatalog(deps, parsed as Catalog, {
        file: fileName,
        now: deps.clock(),
        actor,
      });
      cached = undefined;
      latestByYear.clear();
      return stored;
    },
  };
}
