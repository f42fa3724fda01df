import { inventoryKeys, ledgerKeys, referenceKeys } from './orders/keys';
import type { CatalogItem } from './orders/pricing';
import { tables } from './names';
import type { Storage } from './storage';
import { isConflict } from './storageErrors';

/** A demo customer: credit limit and shipping address. */
export interface Customer {
  customerId: string;
  name: string;
  email: string;
  creditLimitCents: number;
  address: { street: string; city: string; postalCode: string; country: string };
}

/** Demo catalogue with opening stock. `sku-soldout` has none, for the out-of-stock path. */
export const demoCatalog: (CatalogItem & { stock: number })[] = [
  { sku: 'sku-widget', name: 'Widget', priceCents: 250, stock: 1_000_000 },
  { sku: 'sku-gadget', name: 'Gadget', priceCents: 1999, stock: 100_000 },
  { sku: 'sku-gizmo', name: 'Gizmo', priceCents: 4500, stock: 10_000 },
  { sku: 'sku-soldout', name: 'Sold-out lamp', priceCents: 3000, stock: 0 },
];

/**
 * Demo customers. `c-alice` and `c-bob` succeed; `c-frugal` has a 10.00 credit limit (payment declined above it);
 * `c-penguin` lives in Antarctica, where the carrier refuses to ship (default SHIPMENT_REFUSED_COUNTRIES = AQ).
 */
export const demoCustomers: Customer[] = [
  customer('c-alice', 'Alice Example', 100_000_000, { city: 'Amsterdam', postalCode: '1011', country: 'NL' }),
  customer('c-bob', 'Bob Example', 100_000_000, { city: 'Seattle', postalCode: '98101', country: 'US' }),
  customer('c-frugal', 'Frugal Example', 1_000, { city: 'Lyon', postalCode: '69001', country: 'FR' }),
  customer('c-penguin', 'Penguin Example', 100_000_000, { city: 'McMurdo', postalCode: '0000', country: 'AQ' }),
];

function customer(
  customerId: string,
  name: string,
  creditLimitCents: number,
  place: { city: string; postalCode: string; country: string },
): Customer {
  return {
    customerId,
    name,
    email: `${customerId}@example.com`,
    creditLimitCents,
    address: { street: '1 Demo Street', ...place },
  };
}

/**
 * Writes the demo data. Catalogue and customers are overwritten; stock and ledger accounts are created only when
 * missing, so seeding again never resets stock that orders have taken.
 */
export async function seedDemoData(storage: Storage): Promise<void> {
  const catalog = storage.table(tables.catalog);
  const customers = storage.table(tables.customers);
  const inventory = storage.table(tables.inventory);
  const ledger = storage.table(tables.ledger);

  for (const item of demoCatalog) {
    await catalog.upsertEntity(
      { partitionKey: referenceKeys.catalogPartition, rowKey: item.sku, name: item.name, priceCents: item.priceCents },
      'Replace',
    );
    await createIfMissing(() =>
      inventory.createEntity({ ...inventoryKeys.stock(item.sku), available: item.stock, reserved: 0 }),
    );
  }

  for (const entry of demoCustomers) {
    await customers.upsertEntity(toCustomerEntity(entry), 'Replace');
    await createIfMissing(() => ledger.createEntity({ ...ledgerKeys.account(entry.customerId), balanceCents: 0 }));
  }
}

/** Translates a customer into its table entity (the address is stored as JSON text). */
export function toCustomerEntity(entry: Customer) {
  return {
    partitionKey: referenceKeys.customerPartition,
    rowKey: entry.customerId,
    name: entry.name,
    email: entry.email,
    creditLimitCents: entry.creditLimitCents,
    address: JSON.stringify(entry.address),
  };
}

/** Translates a customer entity back; undefined when the row is not a valid customer. */
export function fromCustomerEntity(entity: Record<string, unknown>): Customer | undefined {
  if (typeof entity.rowKey !== 'string' || typeof entity.creditLimitCents !== 'number') {
    return undefined;
  }
  try {
    return {
      customerId: entity.rowKey,
      name: String(entity.name),
      email: String(entity.email),
      creditLimitCents: entity.creditLimitCents,
      address: JSON.parse(String(entity.address)) as Customer['address'],
    };
  } catch {
    return undefined;
  }
}

async function createIfMissing(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (!isConflict(error)) {
      throw error;
    }
  }
}
