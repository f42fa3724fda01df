import { tables } from '../names';
import type { Storage } from '../storage';
import { getEntityOrUndefined } from '../storageErrors';
import { referenceKeys } from './keys';
import type { CatalogItem } from './pricing';

/** Reads the catalogue entries of the given SKUs; unknown SKUs are simply absent from the map. */
export async function readCatalog(storage: Storage, skus: string[]): Promise<Map<string, CatalogItem>> {
  const table = storage.table(tables.catalog);
  const entries = await Promise.all(
    skus.map((sku) =>
      getEntityOrUndefined(() =>
        table.getEntity<{ name: string; priceCents: number }>(referenceKeys.catalogPartition, sku),
      ),
    ),
  );
  const catalog = new Map<string, CatalogItem>();
  for (const entry of entries) {
    if (entry !== undefined) {
      catalog.set(entry.rowKey as string, {
        sku: entry.rowKey as string,
        name: entry.name,
        priceCents: entry.priceCents,
      });
    }
  }
  return catalog;
}
