import os from 'node:os';
import type { AppSettings } from '../../config/appSettings';
import { getIgnoringCase, readDuration, readPositiveNumber, readSection, type HostJson } from '../../config/hostJson';
import { ConfigurationError } from '../../errors';
import type { QueueMessageEncoding } from './messageEncoding';

/** host.json `extensions.queues` after defaults and checks, in milliseconds where the setting is a duration. */
export interface QueuesOptions {
  readonly batchSize: number;
  readonly newBatchThreshold: number;
  readonly maxDequeueCount: number;
  readonly maxPollingIntervalMs: number;
  /** Delay before a failed message becomes visible again. */
  readonly visibilityTimeoutMs: number;
  readonly messageEncoding: QueueMessageEncoding;
  /** How long a received message stays invisible while its function runs; renewed at half this. */
  readonly messageLeaseMs: number;
}

const section = ['extensions', 'queues'];
const minimumPollingIntervalMs = 100;
/** Hard-coded in the storage extension's QueueListenerFactory: messages are received for 10 minutes. */
const defaultMessageLeaseMs = 10 * 60 * 1000;

/**
 * Reads `extensions.queues` with the storage extension's defaults and limits. `localMessageLeaseSeconds` is a
 * knob of the local platform only (the real lease is fixed at 10 minutes); tests shorten it to see renewals.
 */
export function readQueuesOptions(
  hostJson: HostJson,
  settings: AppSettings,
  cpuCount = os.cpus().length,
): QueuesOptions {
  const file = hostJson.file;
  const raw = readSection(hostJson.raw, section, file);
  const get = (key: string) => getIgnoringCase(raw, key);

  const batchSize = readInteger(get('batchSize'), 'batchSize', file, { min: 1, max: 32 }) ?? 16;
  const newBatchThreshold =
    readInteger(get('newBatchThreshold'), 'newBatchThreshold', file, { min: 0 }) ??
    Math.floor(batchSize / 2) * Math.max(1, cpuCount);
  const maxPollingIntervalMs =
    readDuration(get('maxPollingInterval'), settingName('maxPollingInterval'), file) ??
    defaultPollingInterval(settings);
  if (maxPollingIntervalMs < minimumPollingIntervalMs) {
    throw new ConfigurationError(
      `${file}: "${settingName('maxPollingInterval')}" must be at least 00:00:00.100, but is ${String(get('maxPollingInterval'))}.`,
      { file, setting: settingName('maxPollingInterval') },
    );
  }
  const leaseSeconds = readPositiveNumber(
    get('localMessageLeaseSeconds'),
    settingName('localMessageLeaseSeconds'),
    file,
  );

  return {
    batchSize,
    newBatchThreshold,
    maxDequeueCount: readInteger(get('maxDequeueCount'), 'maxDequeueCount', file, { min: 1 }) ?? 5,
    maxPollingIntervalMs,
    visibilityTimeoutMs: readDuration(get('visibilityTimeout'), settingName('visibilityTimeout'), file) ?? 0,
    messageEncoding: readEncoding(get('messageEncoding'), file),
    messageLeaseMs: leaseSeconds === undefined ? defaultMessageLeaseMs : Math.max(1, Math.round(leaseSeconds)) * 1000,
  };
}

/**
 * One minute, or 2 seconds in the Development environment. Core Tools runs the host as Development unless
 * `AZURE_FUNCTIONS_ENVIRONMENT` says otherwise, so that is the local default too.
 * Source: storage extension `StorageQueuesWebJobsBuilderExtensions` (IsDevelopment → 2 s).
 */
function defaultPollingInterval(settings: AppSettings): number {
  const environment = settings.get('AZURE_FUNCTIONS_ENVIRONMENT') ?? 'Development';
  return environment.toLowerCase() === 'development' ? 2_000 : 60_000;
}

function readInteger(
  value: unknown,
  key: string,
  file: string,
  range: { min: number; max?: number },
): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  const inRange =
    typeof number === 'number' &&
    Number.isInteger(number) &&
    number >= range.min &&
    (range.max === undefined || number <= range.max);
  if (!inRange) {
    const expected =
      range.max === undefined ? `an integer ≥ ${range.min}` : `an integer from ${range.min} to ${range.max}`;
    throw new ConfigurationError(
      `${file}: "${settingName(key)}" must be ${expected}, but is ${JSON.stringify(value)}.`,
      {
        file,
        setting: settingName(key),
      },
    );
  }
  return number;
}

function readEncoding(value: unknown, file: string): QueueMessageEncoding {
  if (value === undefined || value === null) {
    return 'base64';
  }
  const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
  if (lower !== 'base64' && lower !== 'none') {
    throw new ConfigurationError(
      `${file}: "${settingName('messageEncoding')}" must be "base64" or "none", but is ${JSON.stringify(value)}.`,
      { file, setting: settingName('messageEncoding') },
    );
  }
  return lower;
}

function settingName(key: string): string {
  return `${section.join('.')}.${key}`;
}
