import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { functionNames } from '../lib/names';
import { chargeOrder, type Charge } from '../lib/orders/ledgerStore';
import type { StepOutcome } from '../lib/orders/steps';
import { getStorage } from '../lib/storage';

/** Input of `chargePayment`. */
export interface ChargePaymentInput {
  orderId: string;
  customerId: string;
  amountCents: number;
  at: string;
}

/** Charges the order to the customer's ledger within the credit limit; charged at most once per order. */
export async function chargePayment(
  input: ChargePaymentInput,
  _context: InvocationContext,
): Promise<StepOutcome<Charge>> {
  return chargeOrder(getStorage(), input);
}

df.app.activity(functionNames.chargePayment, { handler: chargePayment });
