import type { StepOutcome } from './steps';

/** A catalogue entry as the pricing needs it. */
export interface CatalogItem {
  sku: string;
  name: string;
  priceCents: number;
}

/** One priced order line. */
export interface PricedLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
  lineCents: number;
}

/** The order's lines with prices and the total, in integer cents so sums never round. */
export interface PricedOrder {
  lines: PricedLine[];
  totalCents: number;
}

/** Prices the items against the catalogue; an unknown SKU refuses the order. Repeated SKUs are merged. */
export function priceOrder(
  items: { sku: string; quantity: number }[],
  catalog: ReadonlyMap<string, CatalogItem>,
): StepOutcome<PricedOrder> {
  const lines: PricedLine[] = [];
  for (const item of mergeItems(items)) {
    const entry = catalog.get(item.sku);
    if (entry === undefined) {
      return { ok: false, code: 'unknownSku', reason: `SKU '${item.sku}' is not in the catalogue` };
    }
    lines.push({ ...item, unitPriceCents: entry.priceCents, lineCents: entry.priceCents * item.quantity });
  }
  return { ok: true, value: { lines, totalCents: lines.reduce((sum, line) => sum + line.lineCents, 0) } };
}

/** Adds up the quantities of repeated SKUs, keeping first-seen order, so each SKU is reserved once. */
export function mergeItems(items: { sku: string; quantity: number }[]): { sku: string; quantity: number }[] {
  const merged = new Map<string, number>();
  for (const item of items) {
    merged.set(item.sku, (merged.get(item.sku) ?? 0) + item.quantity);
  }
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}
