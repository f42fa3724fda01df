/**
 * Every storage and Service Bus resource the app uses, named once. Provisioning (`npm start`), the local
 * Service Bus config and the Bicep templates are checked against this list by tests.
 */

/** Storage queues. `<queue>-poison` companions are created by the Functions host on first use. */
export const queues = {
  /** Order messages dropped by users and by `POST /api/orders`. */
  orders: 'orders',
  /** High-priority orders, drained before `orders` when both have a backlog. */
  ordersHigh: 'orders-high',
} as const;

/** Blob containers. */
export const containers = {
  images: 'images',
  thumbnails: 'thumbnails',
  outbox: 'outbox',
  reports: 'reports',
} as const;

/** Tables. */
export const tables = {
  catalog: 'Catalog',
  customers: 'Customers',
  inventory: 'Inventory',
  reservations: 'Reservations',
  ledger: 'Ledger',
  shipments: 'Shipments',
  thumbnailJobs: 'ThumbnailJobs',
  poisonReasons: 'PoisonReasons',
} as const;

/** Service Bus queues that carry progress replies. */
export const serviceBusQueues = {
  replies: 'order-replies',
  sessionReplies: 'order-replies-sessions',
} as const;

/** App settings the code reads, with the connection names bindings use. */
export const settings = {
  storageConnection: 'AzureWebJobsStorage',
  serviceBusConnection: 'ServiceBusConnection',
  nightlySchedule: 'NIGHTLY_SCHEDULE',
} as const;
