import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SettingError } from './errors';
import { settings } from './names';

/** How order confirmations leave the app: only the outbox document, or also a Service Bus message. */
export type ConfirmationSender = 'outbox' | 'serviceBus';

/** Every app setting the code reads, parsed once with its default. */
export interface AppConfig {
  /** Longest edge in pixels of each thumbnail, ascending. */
  thumbnailSizes: number[];
  thumbnailMaxInputBytes: number;
  thumbnailMaxInputPixels: number;
  /** Finished orchestrations and outbox documents older than this are purged by the nightly batch. */
  retentionDays: number;
  /** A reservation not committed within this time is released by the nightly batch. */
  reservationTtlMinutes: number;
  nightlyPartitions: number;
  confirmationSender: ConfirmationSender;
  /** Service Bus queue confirmations go to when the sender is `serviceBus`. */
  confirmationQueue: string;
  /** Longest time a normal order waits for the high-priority queue to drain before it starts anyway. */
  priorityMaxWaitSeconds: number;
  /** Shipping countries (ISO 3166 alpha-2) the carrier refuses. */
  shipmentRefusedCountries: string[];
  /** Upper bound of one Service Bus send, so an outage fails fast and the reply is retried later. */
  serviceBusTimeoutSeconds: number;
}

/** Defaults used when a setting is absent; the README's configuration table lists the same values. */
export const defaults = {
  nightlySchedule: '0 0 2 * * *',
  thumbnailSizes: [64, 256, 1024],
  thumbnailMaxInputBytes: 20 * 1024 * 1024,
  thumbnailMaxInputPixels: 40_000_000,
  retentionDays: 30,
  reservationTtlMinutes: 60,
  nightlyPartitions: 4,
  confirmationSender: 'outbox' as ConfirmationSender,
  confirmationQueue: 'order-confirmations',
  priorityMaxWaitSeconds: 30,
  shipmentRefusedCountries: ['AQ'],
  serviceBusTimeoutSeconds: 10,
  maxDequeueCount: 5,
} as const;

type Env = Record<string, string | undefined>;

/** Reads the app settings from the environment (app settings are environment variables in Functions). */
export function readConfig(env: Env = process.env): AppConfig {
  return {
    thumbnailSizes: readSizes(env),
    thumbnailMaxInputBytes: readPositiveInt(env, settings.thumbnailMaxInputBytes, defaults.thumbnailMaxInputBytes),
    thumbnailMaxInputPixels: readPositiveInt(env, settings.thumbnailMaxInputPixels, defaults.thumbnailMaxInputPixels),
    retentionDays: readPositiveInt(env, settings.retentionDays, defaults.retentionDays),
    reservationTtlMinutes: readPositiveInt(env, settings.reservationTtlMinutes, defaults.reservationTtlMinutes),
    nightlyPartitions: readPositiveInt(env, settings.nightlyPartitions, defaults.nightlyPartitions),
    confirmationSender: readSender(env),
    confirmationQueue: env[settings.confirmationQueue]?.trim() || defaults.confirmationQueue,
    priorityMaxWaitSeconds: readPositiveInt(env, settings.priorityMaxWaitSeconds, defaults.priorityMaxWaitSeconds),
    shipmentRefusedCountries: readCountries(env),
    serviceBusTimeoutSeconds: readPositiveInt(
      env,
      settings.serviceBusTimeoutSeconds,
      defaults.serviceBusTimeoutSeconds,
    ),
  };
}

function readPositiveInt(env: Env, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') {
    return fallback;
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new SettingError(name, 'a positive integer', text);
  }
  return value;
}

function readSizes(env: Env): number[] {
  const text = env[settings.thumbnailSizes]?.trim();
  if (text === undefined || text === '') {
    return [...defaults.thumbnailSizes];
  }
  const sizes = text.split(',').map((part) => Number(part.trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size < 1 || size > 4096)) {
    throw new SettingError(
      settings.thumbnailSizes,
      'comma-separated integers between 1 and 4096, e.g. 64,256,1024',
      text,
    );
  }
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function readSender(env: Env): ConfirmationSender {
  const text = env[settings.confirmationSender]?.trim();
  if (text === undefined || text === '') {
    return defaults.confirmationSender;
  }
  if (text !== 'outbox' && text !== 'serviceBus') {
    throw new SettingError(settings.confirmationSender, "'outbox' or 'serviceBus'", text);
  }
  return text;
}

function readCountries(env: Env): string[] {
  const text = env[settings.shipmentRefusedCountries];
  if (text === undefined) {
    return [...defaults.shipmentRefusedCountries];
  }
  return text
    .split(',')
    .map((part) => part.trim().toUpperCase())
    .filter((part) => part !== '');
}

/**
 * The queue trigger's maxDequeueCount: the `AzureFunctionsJobHost__extensions__queues__maxDequeueCount` override,
 * else host.json next to the app, else the extension default of 5 (functions-host reference, section 3.1).
 */
export function readMaxDequeueCount(env: Env = process.env, hostJsonText = readAppHostJson()): number {
  const override = Number(env.AzureFunctionsJobHost__extensions__queues__maxDequeueCount?.trim());
  if (Number.isInteger(override) && override > 0) {
    return override;
  }
  try {
    const hostJson = JSON.parse(hostJsonText ?? '{}') as { extensions?: { queues?: { maxDequeueCount?: unknown } } };
    const value = hostJson.extensions?.queues?.maxDequeueCount;
    return typeof value === 'number' && value > 0 ? value : defaults.maxDequeueCount;
  } catch {
    return defaults.maxDequeueCount;
  }
}

// Compiled code runs from dist/lib, sources from lib: host.json is one or two folders up.
function readAppHostJson(): string | undefined {
  for (const folder of [path.resolve(__dirname, '..'), path.resolve(__dirname, '..', '..')]) {
    try {
      return readFileSync(path.join(folder, 'host.json'), 'utf8');
    } catch {
      // Not in this folder; try the next.
    }
  }
  return undefined;
}
