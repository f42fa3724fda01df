import type { TableClient } from '@azure/data-tables';
import { OrderStepError } from '../errors';
import { tables } from '../names';
import { fromCustomerEntity, type Customer } from '../seed';
import type { Storage } from '../storage';
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

/** Reads a customer, or undefined when the id is unknown. */
export async function readCustomer(storage: Storage, customerId: string): Promise<Customer | undefined> {
  const entity = await getEntityOrUndefined(() =>
    storage.table(tables.customers).getEntity<Record<string, unknown>>(referenceKeys.customerPartition, customerId),
  );
  return entity === undefined ? undefined : fromCustomerEntity(entity);
}

/**
 * Charges the order to the customer's account: the charge row and the new balance are written in one transaction of
 * the customer's ledger partition, so an existing charge row means the order was charged already and nothing is
 * charged twice. A charge beyond the credit limit is declined.
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

  return withOptimisticRetry({ table: tables.ledger, partitionKey: input.customerId }, async () => {
    const existing = await readEntry(ledger, chargeKey);
    if (existing !== undefined) {
      return { ok: true, value: { chargeId: chargeKey.rowKey, amountCents: existing.amountCents } };
    }
    const account = await readAccount(ledger, input.orderId, input.customerId);
    const decision = checkCredit(
      input.customerId,
      { ...account, creditLimitCents: customer.creditLimitCents },
      input.amountCents,
    );
    if (!decision.ok) {
      return decision;
    }
    await submitEntry(ledger, [
      ['create', { ...chargeKey, orderId: input.orderId, amountCents: input.amountCents, at: input.at }],
      [
        'update',
        { ...ledgerKeys.account(input.customerId), balanceCents: decision.value.balanceCents },
        'Merge',
        { etag: account.etag },
      ],
    ]);
    return { ok: true, value: { chargeId: chargeKey.rowKey, amountCents: input.amountCents } };
  });
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

  return withOptimisticRetry({ table: tables.ledger, partitionKey: input.customerId }, async () => {
    const charge = await readEntry(ledger, ledgerKeys.charge(input.customerId, input.orderId));
    const refund = await readEntry(ledger, refundKey);
    if (charge === undefined || refund !== undefined) {
      return { refundedCents: 0 };
    }
    const account = await readAccount(ledger, input.orderId, input.customerId);
    await submitEntry(ledger, [
      ['create', { ...refundKey, orderId: input.orderId, amountCents: charge.amountCents, at: input.at }],
      [
        'update',
        { ...ledgerKeys.account(input.customerId), balanceCents: account.balanceCents - charge.amountCents },
        'Merge',
        { etag: account.etag },
      ],
    ]);
    return { refundedCents: charge.amountCents };
  });
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

// A 409 means a concurrent attempt wrote the entry first; surface it as a lost race so the caller re-reads.
async function submitEntry(
  ledger: TableClient,
  actions: Parameters<TableClient['submitTransaction']>[0],
): Promise<void> {
  try {
    await ledger.submitTransaction(actions);
  } catch (error) {
    if (isConflict(error)) {
      throw Object.assign(new Error('ledger entry written concurrently'), { statusCode: 412 });
    }
    throw error;
  }
}
