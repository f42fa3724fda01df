import { tables } from '../names';
import type { Storage } from '../storage';
import { getEntityOrUndefined, isConflict, isNotFound } from '../storageErrors';
import { commitReservation } from './inventoryStore';
import { shipmentKeys } from './keys';
import { readCustomer } from './ledgerStore';
import { checkShippable } from './rules';
import type { StepOutcome } from './steps';

/** A shipment as recorded in the Shipments table. */
export interface Shipment {
  shipmentId: string;
  status: 'created' | 'cancelled';
  country: string;
}

interface ShipmentEntity {
  shipmentId: string;
  status: Shipment['status'];
  country: string;
}

/**
 * Creates the order's shipment — one row per order, inserted only if absent, so a repeat finds the first one — and
 * commits the reservation. The carrier refuses some countries.
 */
export async function createShipmentFor(
  storage: Storage,
  input: { orderId: string; customerId: string; refusedCountries: readonly string[]; at: string },
): Promise<StepOutcome<Shipment>> {
  const customer = await readCustomer(storage, input.customerId);
  if (customer === undefined) {
    return { ok: false, code: 'unknownCustomer', reason: `customer '${input.customerId}' does not exist` };
  }
  const decision = checkShippable(input.customerId, customer.address, input.refusedCountries);
  if (!decision.ok) {
    return decision;
  }

  const shipments = storage.table(tables.shipments);
  const key = shipmentKeys.shipment(input.orderId);
  let shipment: Shipment = {
    shipmentId: shipmentKeys.shipmentId(input.orderId),
    status: 'created',
    country: customer.address.country,
  };
  try {
    await shipments.createEntity({
      ...key,
      ...shipment,
      address: JSON.stringify(customer.address),
      createdAt: input.at,
    });
  } catch (error) {
    if (!isConflict(error)) {
      throw error;
    }
    shipment = toShipment(await shipments.getEntity<ShipmentEntity>(key.partitionKey, key.rowKey));
  }
  await commitReservation(storage, input.orderId);
  return { ok: true, value: shipment };
}

/** Cancels the order's shipment; a missing or already cancelled shipment is left as it is. */
export async function cancelShipmentFor(storage: Storage, orderId: string): Promise<{ cancelled: boolean }> {
  const shipments = storage.table(tables.shipments);
  const key = shipmentKeys.shipment(orderId);
  const existing = await getEntityOrUndefined(() => shipments.getEntity<ShipmentEntity>(key.partitionKey, key.rowKey));
  if (existing === undefined || existing.status === 'cancelled') {
    return { cancelled: false };
  }
  try {
    await shipments.updateEntity({ ...key, status: 'cancelled' }, 'Merge');
  } catch (error) {
    if (isNotFound(error)) {
      return { cancelled: false };
    }
    throw error;
  }
  return { cancelled: true };
}

function toShipment(entity: ShipmentEntity): Shipment {
  return { shipmentId: entity.shipmentId, status: entity.status, country: entity.country };
}
