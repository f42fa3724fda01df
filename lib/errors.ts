/** Errors the app raises, one class per failure mode, each carrying the ids a caller needs. */

/** An app setting holds a value the app cannot use. */
export class SettingError extends Error {
  constructor(
    readonly setting: string,
    readonly expected: string,
    readonly received: string,
  ) {
    super(`App setting '${setting}': expected ${expected}, received '${received}'.`);
    this.name = 'SettingError';
  }
}

/** A storage or Service Bus connection is not configured. */
export class ConnectionNotConfiguredError extends Error {
  constructor(
    readonly connection: string,
    hint: string,
  ) {
    super(`Connection '${connection}' is not configured: ${hint}`);
    this.name = 'ConnectionNotConfiguredError';
  }
}

/** A step of an order failed in a way that retrying cannot fix (bad data in storage, missing seed). */
export class OrderStepError extends Error {
  constructor(
    readonly orderId: string,
    readonly step: string,
    message: string,
  ) {
    super(`Order '${orderId}', step '${step}': ${message}`);
    this.name = 'OrderStepError';
  }
}

/** A write lost an optimistic-concurrency race too many times in a row. */
export class ConcurrencyConflictError extends Error {
  constructor(
    readonly table: string,
    readonly partitionKey: string,
    readonly attempts: number,
  ) {
    super(`Table '${table}', partition '${partitionKey}': still conflicting after ${attempts} attempts.`);
    this.name = 'ConcurrencyConflictError';
  }
}

/** Turns anything thrown into an Error, so logs and reasons always have a message. */
export function ensureError(value: unknown): Error {
  if (value instanceof Error) {
    return value;
  }
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
