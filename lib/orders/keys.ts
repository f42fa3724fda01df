/**
 * Table keys of the order saga. Every write is keyed by order id (and SKU or step), so a repeated activity finds
 * its earlier write instead of repeating the side effect.
 */

/** Inventory partition of a SKU: its stock row and its reservation rows share it, so one transaction covers both. */
export const inventoryKeys = {
  stock: (sku: string) => ({ partitionKey: sku, rowKey: 'stock' }),
  reservation: (sku: string, orderId: string) => ({ partitionKey: sku, rowKey: `reservation-${orderId}` }),
  reservationPrefix: 'reservation-',
} as const;

/** The order-level reservation header, read by the nightly batch to release expired reservations. */
export const reservationKeys = {
  header: (orderId: string) => ({ partitionKey: orderId, rowKey: 'reservation' }),
} as const;

/** The customer's ledger partition: the account row and one row per charge or refund, in one transaction each. */
export const ledgerKeys = {
  account: (customerId: string) => ({ partitionKey: customerId, rowKey: 'account' }),
  charge: (customerId: string, orderId: string) => ({ partitionKey: customerId, rowKey: `charge-${orderId}` }),
  refund: (customerId: string, orderId: string) => ({ partitionKey: customerId, rowKey: `refund-${orderId}` }),
} as const;

/** Catalogue and customers live in one partition each: small reference data read whole. */
export const referenceKeys = {
  catalogPartition: 'catalog',
  customerPartition: 'customer',
} as const;

/** One shipment per order. */
export const shipmentKeys = {
  shipment: (orderId: string) => ({ partitionKey: orderId, rowKey: 'shipment' }),
  shipmentId: (orderId: string) => `shp-${orderId}`,
} as const;

/** Where an order's confirmation document is written. */
export function confirmationBlobName(orderId: string): string {
  return `${orderId}/confirmation.json`;
}
