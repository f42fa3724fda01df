import { containers, tables } from '../names';
import { inventoryKeys } from '../orders/keys';
import { releaseLines, type ReservationHeader } from '../orders/inventoryStore';
import type { Storage } from '../storage';
import { partitionOf } from './partitions';

/** What one partition of the nightly batch did and found. */
export interface PartitionReport {
  partition: number;
  releasedReservations: string[];
  deletedOutboxDocuments: number;
  checkedSkus: number;
  checkedAccounts: number;
  charges: { count: number; totalCents: number };
  refunds: { count: number; totalCents: number };
  issues: string[];
}

/** The work order of one partition. */
export interface PartitionInput {
  date: string;
  partition: number;
  of: number;
  /** Reservations still open that expired before this moment are released. */
  now: string;
  /** Outbox documents last written before this moment are deleted. */
  retainAfter: string;
}

/**
 * Runs one partition: releases expired reservations, deletes outbox documents past retention, checks inventory
 * against reservations and the ledger balances against their entries, and totals the day's charges and refunds.
 */
export async function runPartition(storage: Storage, input: PartitionInput): Promise<PartitionReport> {
  const mine = (key: string) => partitionOf(key, input.of) === input.partition;
  const report: PartitionReport = {
    partition: input.partition,
    releasedReservations: await releaseExpired(storage, input.now, mine),
    deletedOutboxDocuments: await purgeOutbox(storage, input.retainAfter, mine),
    checkedSkus: 0,
    checkedAccounts: 0,
    charges: { count: 0, totalCents: 0 },
    refunds: { count: 0, totalCents: 0 },
    issues: [],
  };
  await checkInventory(storage, mine, report);
  await checkLedger(storage, input.date, mine, report);
  return report;
}

async function releaseExpired(storage: Storage, now: string, mine: (key: string) => boolean): Promise<string[]> {
  const released: string[] = [];
  const headers = storage.table(tables.reservations).listEntities<ReservationHeader>({
    queryOptions: { filter: `status eq 'reserved' and expiresAt lt '${now}'` },
  });
  for await (const header of headers) {
    if (mine(header.orderId)) {
      await releaseLines(storage, header.orderId);
      released.push(header.orderId);
    }
  }
  return released;
}

async function purgeOutbox(storage: Storage, retainAfter: string, mine: (key: string) => boolean): Promise<number> {
  const outbox = storage.container(containers.outbox);
  const cutoff = Date.parse(retainAfter);
  let deleted = 0;
  for await (const blob of outbox.listBlobsFlat()) {
    const lastModified = blob.properties.lastModified.getTime();
    if (lastModified < cutoff && mine(blob.name)) {
      await outbox.deleteBlob(blob.name, { deleteSnapshots: 'include' }).catch(() => undefined);
      deleted++;
    }
  }
  return deleted;
}

async function checkInventory(
  storage: Storage,
  mine: (key: string) => boolean,
  report: PartitionReport,
): Promise<void> {
  const bySku = new Map<string, { reserved: number; available: number; held: number }>();
  for await (const row of storage.table(tables.inventory).listEntities<Record<string, unknown>>()) {
    const sku = String(row.partitionKey);
    if (!mine(sku)) {
      continue;
    }
    const entry = bySku.get(sku) ?? { reserved: 0, available: 0, held: 0 };
    if (row.rowKey === 'stock') {
      entry.reserved = Number(row.reserved);
      entry.available = Number(row.available);
    } else if (String(row.rowKey).startsWith(inventoryKeys.reservationPrefix)) {
      entry.held += Number(row.quantity);
    }
    bySku.set(sku, entry);
  }
  for (const [sku, entry] of bySku) {
    report.checkedSkus++;
    if (entry.reserved !== entry.held) {
      report.issues.push(`SKU '${sku}': stock says ${entry.reserved} reserved, reservation rows hold ${entry.held}`);
    }
    if (entry.available < 0) {
      report.issues.push(`SKU '${sku}': available stock is negative (${entry.available})`);
    }
  }
}

async function checkLedger(
  storage: Storage,
  date: string,
  mine: (key: string) => boolean,
  report: PartitionReport,
): Promise<void> {
  const byCustomer = new Map<string, { balance: number; entries: number }>();
  for await (const row of storage.table(tables.ledger).listEntities<Record<string, unknown>>()) {
    const customerId = String(row.partitionKey);
    if (!mine(customerId)) {
      continue;
    }
    const entry = byCustomer.get(customerId) ?? { balance: 0, entries: 0 };
    const rowKey = String(row.rowKey);
    const amount = Number(row.amountCents ?? 0);
    const today = typeof row.at === 'string' && row.at.startsWith(date);
    if (rowKey === 'account') {
      entry.balance = Number(row.balanceCents);
    } else if (rowKey.startsWith('charge-')) {
      entry.entries += amount;
      addIf(today, report.charges, amount);
    } else if (rowKey.startsWith('refund-')) {
      entry.entries -= amount;
      addIf(today, report.refunds, amount);
    }
    byCustomer.set(customerId, entry);
  }
  for (const [customerId, entry] of byCustomer) {
    report.checkedAccounts++;
    if (entry.balance !== entry.entries) {
      report.issues.push(
        `customer '${customerId}': balance ${entry.balance} differs from charges minus refunds ${entry.entries}`,
      );
    }
  }
}

function addIf(condition: boolean, total: { count: number; totalCents: number }, amount: number): void {
  if (condition) {
    total.count++;
    total.totalCents += amount;
  }
}
