import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { functionNames } from '../lib/names';
import { releaseLines } from '../lib/orders/inventoryStore';
import { getStorage } from '../lib/storage';

/** Compensation of `reserveInventory`: gives reserved stock back; a second call releases nothing. */
export async function releaseInventory(
  input: { orderId: string },
  _context: InvocationContext,
): Promise<{ released: { sku: string; quantity: number }[] }> {
  return { released: await releaseLines(getStorage(), input.orderId) };
}

df.app.activity(functionNames.releaseInventory, { handler: releaseInventory });
