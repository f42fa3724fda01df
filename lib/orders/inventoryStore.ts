import type { TableClient } from '@azure/data-tables';
import { OrderStepError } from '../errors';
import { tables } from '../names';
import type { Storage } from '../storage';
import { withKeyedLock } from '../keyedLock';
import { getEntityOrUndefined, isConflict, isNotFound, withOptimisticRetry } from '../storageErrors';
import { inventoryKeys, reservationKeys } from './keys';
import { checkStock } from './rules';
import type { StepOutcome } from './steps';

/** The stock row of a SKU. */
interface StockEntity {
  partitionKey: string;
  rowKey: string;
  etag: string;
  available: number;
  reserved: number;
}

/** The state of an order's reservation, kept in its header row. */
export type ReservationStatus = 'reserved' | 'committed' | 'released' | 'refused';

/** What `reserveInventory` reports. */
export interface Reservation {
  lines: { sku: string; quantity: number }[];
  expiresAt: string;
}

/**
 * Reserves every line for the order. The header row is inserted first, then each SKU's reservation row and stock
 * change go in one transaction of that SKU's partition; a reservation row that already exists makes the transaction
 * fail as a whole with 409, which means an earlier attempt reserved that SKU, so a repeated call reserves nothing
 * twice. A shortage releases what this order holds and refuses.
 */
export async function reserveLines(
  storage: Storage,
  input: { orderId: string; lines: { sku: string; quantity: number }[]; expiresAt: string },
): Promise<StepOutcome<Reservation>> {
  const headers = storage.table(tables.reservations);
  const inventory = storage.table(tables.inventory);
  const created = await createHeader(headers, input.orderId, { lines: input.lines, expiresAt: input.expiresAt });
  const header = created ? undefined : await readHeader(headers, input.orderId);
  if (header?.status === 'released' || header?.status === 'refused') {
    return {
      ok: false,
      code: 'outOfStock',
      reason: `the reservation of order '${input.orderId}' was ${header.status} earlier`,
    };
  }

  for (const line of input.lines) {
    const outcome = await reserveSku(inventory, input.orderId, line, input.expiresAt);
    if (!outcome.ok) {
      await releaseLines(storage, input.orderId, 'refused');
      return outcome;
    }
  }
  return { ok: true, value: { lines: input.lines, expiresAt: header?.expiresAt ?? input.expiresAt } };
}

async function reserveSku(
  inventory: TableClient,
  orderId: string,
  line: { sku: string; quantity: number },
  expiresAt: string,
): Promise<StepOutcome<null>> {
  const where = { table: tables.inventory, partitionKey: line.sku };
  return withKeyedLock(`${tables.inventory}/${line.sku}`, () =>
    withOptimisticRetry(where, async () => {
      const stock = await readStock(inventory, orderId, line.sku);
      const decision = checkStock(line.sku, line.quantity, stock.available);
      if (!decision.ok) {
        // A retry of an attempt that took the last units finds its own reservation row.
        return (await hasReservation(inventory, orderId, line.sku)) ? { ok: true, value: null } : decision;
      }
      try {
        await inventory.submitTransaction([
          ['create', { ...inventoryKeys.reservation(line.sku, orderId), orderId, quantity: line.quantity, expiresAt }],
          [
            'update',
            {
              ...inventoryKeys.stock(line.sku),
              available: stock.available - line.quantity,
              reserved: stock.reserved + line.quantity,
            },
            'Merge',
            { etag: stock.etag },
          ],
        ]);
      } catch (error) {
        if (!isConflict(error)) {
          throw error;
        }
      }
      return { ok: true, value: null };
    }),
  );
}

async function hasReservation(inventory: TableClient, orderId: string, sku: string): Promise<boolean> {
  const key = inventoryKeys.reservation(sku, orderId);
  return (await getEntityOrUndefined(() => inventory.getEntity(key.partitionKey, key.rowKey))) !== undefined;
}

/**
 * Gives the order's reserved units back to stock, SKU by SKU, deleting each reservation row in the same transaction
 * as the stock change; a row already gone was released before. Returns the lines released by this call.
 */
export async function releaseLines(
  storage: Storage,
  orderId: string,
  finalStatus: 'released' | 'refused' = 'released',
): Promise<{ sku: string; quantity: number }[]> {
  const headers = storage.table(tables.reservations);
  const inventory = storage.table(tables.inventory);
  const header = await readHeader(headers, orderId);
  if (header === undefined) {
    return [];
  }

  const released: { sku: string; quantity: number }[] = [];
  for (const line of parseLines(header.lines)) {
    if (await releaseSku(inventory, orderId, line.sku)) {
      released.push(line);
    }
  }

  await setHeaderStatus(headers, orderId, finalStatus);
  return released;
}

async function releaseSku(inventory: TableClient, orderId: string, sku: string): Promise<boolean> {
  const where = { table: tables.inventory, partitionKey: sku };
  return withKeyedLock(`${tables.inventory}/${sku}`, () =>
    withOptimisticRetry(where, async () => {
      const row = await getEntityOrUndefined(() =>
        inventory.getEntity<{ quantity: number }>(sku, inventoryKeys.reservation(sku, orderId).rowKey),
      );
      if (row === undefined) {
        return false;
      }
      const stock = await readStock(inventory, orderId, sku);
      try {
        await inventory.submitTransaction([
          ['delete', { ...inventoryKeys.reservation(sku, orderId), etag: row.etag }],
          [
            'update',
            {
              ...inventoryKeys.stock(sku),
              available: stock.available + row.quantity,
              reserved: stock.reserved - row.quantity,
            },
            'Merge',
            { etag: stock.etag },
          ],
        ]);
      } catch (error) {
        if (isNotFound(error)) {
          return false;
        }
        throw error;
      }
      return true;
    }),
  );
}

/** Marks the reservation as committed (the goods are shipping), so expiry no longer releases it. */
export async function commitReservation(storage: Storage, orderId: string): Promise<void> {
  try {
    await setHeaderStatus(storage.table(tables.reservations), orderId, 'committed');
  } catch (error) {
    // An order without a reservation has nothing to commit.
    if (!isNotFound(error)) {
      throw error;
    }
  }
}

/** The reservation header row. */
export interface ReservationHeader {
  orderId: string;
  status: ReservationStatus;
  lines: string;
  expiresAt: string;
  etag: string;
}

async function readHeader(headers: TableClient, orderId: string): Promise<ReservationHeader | undefined> {
  const key = reservationKeys.header(orderId);
  return getEntityOrUndefined(() => headers.getEntity<ReservationHeader>(key.partitionKey, key.rowKey));
}

/** Inserts the header as `reserved`; false when it exists already (a repeated attempt). */
async function createHeader(
  headers: TableClient,
  orderId: string,
  header: { lines: { sku: string; quantity: number }[]; expiresAt: string },
): Promise<boolean> {
  try {
    await headers.createEntity({
      ...reservationKeys.header(orderId),
      orderId,
      status: 'reserved',
      lines: JSON.stringify(header.lines),
      expiresAt: header.expiresAt,
    });
    return true;
  } catch (error) {
    if (isConflict(error)) {
      return false;
    }
    throw error;
  }
}

async function setHeaderStatus(headers: TableClient, orderId: string, status: ReservationStatus): Promise<void> {
  await headers.updateEntity({ ...reservationKeys.header(orderId), status }, 'Merge');
}

async function readStock(inventory: TableClient, orderId: string, sku: string): Promise<StockEntity> {
  const stock = await getEntityOrUndefined(() => inventory.getEntity<StockEntity>(sku, 'stock'));
  if (stock === undefined) {
    throw new OrderStepError(
      orderId,
      'reserveInventory',
      `SKU '${sku}' has no stock row in table '${tables.inventory}'`,
    );
  }
  return stock;
}

/** Reads the lines stored as JSON text in a reservation header. */
export function parseLines(text: string): { sku: string; quantity: number }[] {
  return JSON.parse(text) as { sku: string; quantity: number }[];
}
