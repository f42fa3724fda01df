import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { functionNames } from '../lib/names';
import { cancelShipmentFor } from '../lib/orders/shipmentStore';
import { getStorage } from '../lib/storage';

/** Compensation of `createShipment`: cancels the shipment; a second call changes nothing. */
export async function cancelShipment(
  input: { orderId: string },
  _context: InvocationContext,
): Promise<{ cancelled: boolean }> {
  return cancelShipmentFor(getStorage(), input.orderId);
}

df.app.activity(functionNames.cancelShipment, { handler: cancelShipment });
