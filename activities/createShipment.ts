import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { readConfig } from '../lib/config';
import { functionNames } from '../lib/names';
import { createShipmentFor, type Shipment } from '../lib/orders/shipmentStore';
import type { StepOutcome } from '../lib/orders/steps';
import { getStorage } from '../lib/storage';

/** Creates the order's shipment (one per order) unless the carrier refuses the address. */
export async function createShipment(
  input: { orderId: string; customerId: string; at: string },
  _context: InvocationContext,
): Promise<StepOutcome<Shipment>> {
  return createShipmentFor(getStorage(), { ...input, refusedCountries: readConfig().shipmentRefusedCountries });
}

df.app.activity(functionNames.createShipment, { handler: createShipment });
