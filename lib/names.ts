/**
 * Every storage and Service Bus resource the app uses, named once. Provisioning (`npm start`), the local
 * Service Bus config and the Bicep templates are checked against this list by tests.
 */

/** Storage queues the app reads and writes. */
export const queues = {
  /** Order messages dropped by users and by `POST /api/orders`. */
  orders: 'orders',
  /** High-priority orders, drained before `orders` when both have a backlog. */
  ordersHigh: 'orders-high',
  /** Replies that Service Bus refused for good; re-sent with back-off until Service Bus is back. */
  replyRetries: 'reply-retries',
} as const;

/**
 * Poison queues. The Functions host creates `<queue>-poison` on first use; the app writes to them too (a message
 * that can never succeed goes there at once), so provisioning creates them up front.
 */
export const poisonQueues = {
  orders: 'orders-poison',
  ordersHigh: 'orders-high-poison',
  replyRetries: 'reply-retries-poison',
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

/** App settings the code reads, with the connection names bindings use. Defaults live in lib/config.ts. */
export const settings = {
  storageConnection: 'AzureWebJobsStorage',
  serviceBusConnection: 'ServiceBusConnection',
  nightlySchedule: 'NIGHTLY_SCHEDULE',
  thumbnailSizes: 'THUMBNAIL_SIZES',
  thumbnailMaxInputBytes: 'THUMBNAIL_MAX_INPUT_BYTES',
  thumbnailMaxInputPixels: 'THUMBNAIL_MAX_INPUT_PIXELS',
  retentionDays: 'RETENTION_DAYS',
  reservationTtlMinutes: 'RESERVATION_TTL_MINUTES',
  nightlyPartitions: 'NIGHTLY_PARTITIONS',
  confirmationSender: 'CONFIRMATION_SENDER',
  confirmationQueue: 'CONFIRMATION_QUEUE',
  priorityMaxWaitSeconds: 'PRIORITY_MAX_WAIT_SECONDS',
  shipmentRefusedCountries: 'SHIPMENT_REFUSED_COUNTRIES',
  serviceBusTimeoutSeconds: 'SERVICE_BUS_TIMEOUT_SECONDS',
} as const;

/** Function names, used where one function refers to another (orchestrator and activity calls). */
export const functionNames = {
  processOrder: 'processOrder',
  nightlyBatch: 'nightlyBatch',
  reserveInventory: 'reserveInventory',
  releaseInventory: 'releaseInventory',
  chargePayment: 'chargePayment',
  refundPayment: 'refundPayment',
  createShipment: 'createShipment',
  cancelShipment: 'cancelShipment',
  sendConfirmation: 'sendConfirmation',
  sendReply: 'sendReply',
  nightlyPartition: 'nightlyPartition',
  purgeHistory: 'purgeHistory',
  writeReport: 'writeReport',
} as const;

/** Instance ids of the orchestrations the app starts: one per order, one per nightly date. */
export const instanceIds = {
  order: (orderId: string): string => `order-${orderId}`,
  nightly: (date: string): string => `nightly-${date}`,
} as const;
