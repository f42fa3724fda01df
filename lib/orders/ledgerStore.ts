import type { TableClient } from '@azure/data-tables';
import { OrderStepError } from '../errors';
import { tables } from '../names';
import { fromCustomerEntity, type Customer } from '../seed';
import type { Storage } from '../storage';
import { withKeyedLock } from '../keyedLock';
import { getEntityOrUndefined, isConflict, withOptimisticRetry } from '../storageErrors';
import { ledgerKeys, referenceKeys } from './keys';
import { checkCredit } from './rules';
import type { StepOutcome } from './steps';

/** A charge as recorded in the ledger. */
export interface Charge {
  chargeId: string;
  amountCents: number;
}

interface AccountEntity {
  etag: string;
  balanceCents: number;
}

interface EntryEntity {
  etag: string;
  orderId: string;
  amountCents: number;
}

const customerCacheMs = 60_000;
const customers = new Map<string, { customer: Customer | undefined; readAt: number }>();

/**
 * Reads a customer, or undefined when the id is unknown. Customers are reference data read by three steps of every
 * order, so they are cached in the process for a minute: a changed credit limit or address applies within a minute.
 */
export async function readCustomer(
  storage: Storage,
  customerId: string,
  now = Date.now(),
): Promise<Customer | undefined> {
  const cached = customers.get(customerId);
  if (cached !== undefined && cached.customer !== undefined && now - cached.readAt < customerCacheMs) {
    return cached.customer;
  }
  const entity = await getEntityOrUndefined(() =>
    storage.table(tables.customers).getEntity<Record<string, unknown>>(referenceKeys.customerPartition, customerId),
  );
  const customer = entity === undefined ? undefined : fromCustomerEntity(entity);
  customers.set(customerId, { customer, readAt: now });
  return customer;
}

/**
 * Charges the order to the customer's account: the charge row and the new balance are written in one transaction of
 * the customer's ledger partition, so an existing charge row (the transaction fails with 409) means the order was
 * charged already and nothing is charged twice. A charge beyond the credit limit is declined.
 */
export async function chargeOrder(
  storage: Storage,
  input: { orderId: string; customerId: string; amountCents: number; at: string },
): Promise<StepOutcome<Charge>> {
  const customer = await readCustomer(storage, input.customerId);
  if (customer === undefined) {
    return { ok: false, code: 'unknownCustomer', reason: `customer '${input.customerId}' does not exist` };
  }
  const ledger = storage.table(tables.ledger);
  const chargeKey = ledgerKeys.charge(input.customerId, input.orderId);
  const where = { table: tables.ledger, partitionKey: input.customerId };
  const charged = (amountCents: number): StepOutcome<Charge> => ({
    ok: true,
    value: { chargeId: chargeKey.rowKey, amountCents },
  });

  return withKeyedLock(`${tables.ledger}/${input.customerId}`, () =>
    withOptimisticRetry(where, async () => {
      const account = await readAccount(ledger, input.orderId, input.customerId);
      const limits = { ...account, creditLimitCents: customer.creditLimitCents };
      const decision = checkCredit(input.customerId, limits, input.amountCents);
      if (!decision.ok) {
        // A retry of an attempt that used the last credit finds its own charge.
        const existing = await readEntry(ledger, chargeKey);
        return existing === undefined ? decision : charged(existing.amountCents);
      }
      const existing = await submitEntry(ledger, chargeKey, [
        ['create', { ...chargeKey, orderId: input.orderId, amountCents: input.amountCents, at: input.at }],
        [
          'update',
          { ...ledgerKeys.account(input.customerId), balanceCents: decision.value.balanceCents },
          'Merge',
          { etag: account.etag },
        ],
      ]);
      return charged(existing?.amountCents ?? input.amountCents);
    }),
  );
}

/**
 * Refunds the order's charge, if there is one and it was not refunded yet: the refund row and the balance change go in
 * one transaction, so a repeated refund finds its row and does nothing. Returns the amount refunded by this call.
 */
export async function refundOrder(
  storage: Storage,
  input: { orderId: string; customerId: string; at: string },
): Promise<{ refundedCents: number }> {
  const ledger = storage.table(tables.ledger);
  const refundKey = ledgerKeys.refund(input.customerId, input.orderId);

  const where = { table: tables.ledger, partitionKey: input.customerId };
  return withKeyedLock(`${tables.ledger}/${input.customerId}`, () =>
    withOptimisticRetry(where, async () => {
      const charge = await readEntry(ledger, ledgerKeys.charge(input.customerId, input.orderId));
      const refund = await readEntry(ledger, refundKey);
      if (charge === undefined || refund !== undefined) {
        return { refundedCents: 0 };
      }
      const account = await readAccount(ledger, input.orderId, input.customerId);
      const existing = await submitEntry(ledger, refundKey, [
        ['create', { ...refundKey, orderId: input.orderId, amountCents: charge.amountCents, at: input.at }],
        [
          'update',
          { ...ledgerKeys.account(input.customerId), balanceCents: account.balanceCents - charge.amountCents },
          'Merge',
          { etag: account.etag },
        ],
      ]);
      return { refundedCents: existing === undefined ? charge.amountCents : 0 };
    }),
  );
}

async function readEntry(ledger: TableClient, key: { partitionKey: string; rowKey: string }) {
  return getEntityOrUndefined(() => ledger.getEntity<EntryEntity>(key.partitionKey, key.rowKey));
}

async function readAccount(ledger: TableClient, orderId: string, customerId: string): Promise<AccountEntity> {
  const key = ledgerKeys.account(customerId);
  const account = await getEntityOrUndefined(() => ledger.getEntity<AccountEntity>(key.partitionKey, key.rowKey));
  if (account === undefined) {
    throw new OrderStepError(
      orderId,
      'chargePayment',
      `customer '${customerId}' has no account row in table '${tables.ledger}'`,
    );
  }
  return account;
}

/**
 * Submits a ledger transaction that creates `entryKey`. When the entry exists already (409) it returns that entry: an
 * earlier attempt wrote it. A 409 without the entry is a lost race, surfaced as 412 so the caller re-reads.
 */
async function submitEntry(
  ledger: TableClient,
  entryKey: { partitionKey: string; rowKey: string },
  actions: Parameters<TableClient['submitTransaction']>[0],
): Promise<EntryEntity | undefined> {
  try {
    await ledger.submitTransaction(actions);
    return undefined;
  } catch (error) {
    if (!isConflict(error)) {
      throw error;
    }
    const existing = await readEntry(ledger, entryKey);
    if (existing === undefined) {
      throw Object.assign(new Error('ledger entry written concurrently'), { statusCode: 412 });
    }
    return existing;
  }
}
