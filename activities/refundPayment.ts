import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { functionNames } from '../lib/names';
import { refundOrder } from '../lib/orders/ledgerStore';
import { getStorage } from '../lib/storage';

/** Compensation of `chargePayment`: refunds the order's charge once; nothing when it was never charged. */
export async function refundPayment(
  input: { orderId: string; customerId: string; at: string },
  _context: InvocationContext,
): Promise<{ refundedCents: number }> {
  return refundOrder(getStorage(), input);
}

df.app.activity(functionNames.refundPayment, { handler: refundPayment });
