import { type ReceiptNames, receiptNames } from '../../functions/core/ingest/receipt.ts';
import type { CatalogStore } from '../../functions/use-cases/ports/storage.ts';

/** Names of a year's departments and indicators; undefined when no catalog of that year is stored. */
export type NamesOfYear = (year: number) => Promise<ReceiptNames | undefined>;

/**
 * The names CLI output prints instead of ids and codes, from the stored catalog of each year
 * (read once per year per command).
 */
export function catalogNames(catalogs: CatalogStore): NamesOfYear {
  const cache = new Map<number, Promise<ReceiptNames | undefined>>();
  return (year) => {
    let names = cache.get(year);
    if (!names) {
      names = catalogs.get(year).then((c) => (c ? receiptNames(c.catalog) : undefined));
      cache.set(year, names);
    }
    return names;
  };
}
