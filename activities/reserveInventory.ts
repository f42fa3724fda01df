import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { readConfig } from '../lib/config';
import { functionNames } from '../lib/names';
import { readCatalog } from '../lib/orders/catalogStore';
import { reserveLines } from '../lib/orders/inventoryStore';
import { mergeItems, priceOrder, type PricedLine } from '../lib/orders/pricing';
import type { StepOutcome } from '../lib/orders/steps';
import { getStorage } from '../lib/storage';

/** Input of `reserveInventory`: the order's items and the orchestration time the reservation counts from. */
export interface ReserveInventoryInput {
  orderId: string;
  items: { sku: string; quantity: number }[];
  at: string;
}

/** The priced, reserved lines. */
export interface ReservedOrder {
  lines: PricedLine[];
  totalCents: number;
  expiresAt: string;
}

/** Prices the order from the catalogue and reserves its stock; idempotent per order and SKU. */
export async function reserveInventory(
  input: ReserveInventoryInput,
  _context: InvocationContext,
): Promise<StepOutcome<ReservedOrder>> {
  const storage = getStorage();
  const items = mergeItems(input.items);
  const priced = priceOrder(
    items,
    await readCatalog(
      storage,
      items.map((item) => item.sku),
    ),
  );
  if (!priced.ok) {
    return priced;
  }

  const ttlMs = readConfig().reservationTtlMinutes * 60_000;
  const expiresAt = new Date(Date.parse(input.at) + ttlMs).toISOString();
  const reserved = await reserveLines(storage, { orderId: input.orderId, lines: items, expiresAt });
  if (!reserved.ok) {
    return reserved;
  }
  return { ok: true, value: { ...priced.value, expiresAt: reserved.value.expiresAt } };
}

df.app.activity(functionNames.reserveInventory, { handler: reserveInventory });
