import { ConfigurationError } from '../../errors';
import { readDuration, readPositiveNumber, readSection, type HostJson } from '../../config/hostJson';
import type { AppSettings } from '../../config/appSettings';
import { cpus } from 'node:os';
import type { RuntimeStatus } from '../backend/types';

/** Which storage holds the task hub. */
export type BackendKind = 'azureStorage' | 'memory';

/** host.json `extensions.durableTask`, with the extension's defaults (reference durable.md §14). */
export interface DurableOptions {
  hubName: string;
  backend: BackendKind;
  /** Connection setting of the Azure Storage backend; default `AzureWebJobsStorage`. */
  connectionName: string;
  partitionCount: number;
  controlQueueBatchSize: number;
  controlQueueVisibilityTimeoutMs: number;
  workItemVisibilityTimeoutMs: number;
  maxPollingIntervalMs: number;
  maxConcurrentActivityFunctions: number;
  maxConcurrentOrchestratorFunctions: number;
  /** Entity work items processed at once, apart from orchestrations (DTFx TaskEntityDispatcher). */
  maxConcurrentEntityFunctions: number;
  /** Most operations one entity function invocation receives; the rest wait for the next batch. */
  maxEntityOperationBatchSize: number;
  defaultAsyncRequestSleepTimeMs: number;
  /** Statuses in which an instance id may be started again (`overridableExistingInstanceStates`). */
  overridableStatuses: readonly RuntimeStatus[];
}

const nonRunning: RuntimeStatus[] = ['Completed', 'Failed', 'Terminated', 'Canceled'];
const anyStatus: RuntimeStatus[] = [...nonRunning, 'Running', 'Pending', 'Suspended', 'ContinuedAsNew'];

/**
 * Reads `extensions.durableTask`. `storageProvider.type` may be `AzureStorage` (default) or `memory` (a local
 * extension of the schema for tests); `override` wins over both.
 */
export function readDurableOptions(hostJson: HostJson, settings: AppSettings, override?: BackendKind): DurableOptions {
  const file = hostJson.file;
  const section = readSection(hostJson.raw, ['extensions', 'durableTask'], file);
  const provider = readSection(hostJson.raw, ['extensions', 'durableTask', 'storageProvider'], file);
  const at = (key: string) => `extensions.durableTask.${key}`;
  const number = (value: unknown, key: string) => readPositiveNumber(value, at(key), file);
  const duration = (value: unknown, key: string) => readDuration(value, at(key), file);
  const cores = cpus().length || 1;
  const http = readSection(hostJson.raw, ['extensions', 'durableTask', 'httpSettings'], file);

  return {
    hubName: readHubName(section.hubName, settings, file),
    backend: override ?? readBackend(provider.type, file),
    connectionName: readString(provider.connectionStringName ?? provider.connectionName) ?? 'AzureWebJobsStorage',
    partitionCount: readPartitionCount(number(provider.partitionCount, 'storageProvider.partitionCount'), file),
    controlQueueBatchSize: Math.min(
      32,
      number(provider.controlQueueBatchSize, 'storageProvider.controlQueueBatchSize') ?? 32,
    ),
    controlQueueVisibilityTimeoutMs:
      duration(provider.controlQueueVisibilityTimeout, 'storageProvider.controlQueueVisibilityTimeout') ?? 300_000,
    workItemVisibilityTimeoutMs:
      duration(provider.workItemQueueVisibilityTimeout, 'storageProvider.workItemQueueVisibilityTimeout') ?? 300_000,
    maxPollingIntervalMs:
      duration(provider.maxQueuePollingInterval, 'storageProvider.maxQueuePollingInterval') ?? 30_000,
    maxConcurrentActivityFunctions:
      number(section.maxConcurrentActivityFunctions, 'maxConcurrentActivityFunctions') ?? 10 * cores,
    maxConcurrentOrchestratorFunctions:
      number(section.maxConcurrentOrchestratorFunctions, 'maxConcurrentOrchestratorFunctions') ?? 10 * cores,
    maxConcurrentEntityFunctions:
      readCount(section.maxConcurrentEntityFunctions, 'maxConcurrentEntityFunctions', file) ?? 10 * cores,
    maxEntityOperationBatchSize:
      readCount(section.maxEntityOperationBatchSize, 'maxEntityOperationBatchSize', file) ?? 5000,
    defaultAsyncRequestSleepTimeMs:
      number(http.defaultAsyncRequestSleepTimeMilliseconds, 'httpSettings.defaultAsyncRequestSleepTimeMilliseconds') ??
      30_000,
    overridableStatuses: readOverridable(section.overridableExistingInstanceStates, file),
  };
}

/** A whole number of at least 1, or undefined when absent. */
function readCount(value: unknown, key: string, file: string): number | undefined {
  const count = readPositiveNumber(value, `extensions.durableTask.${key}`, file);
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
    throw new ConfigurationError(
      `${file}: "extensions.durableTask.${key}" must be a whole number of at least 1, but is ${count}.`,
      { file, setting: `extensions.durableTask.${key}` },
    );
  }
  return count;
}

function readString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Explicit names: a letter, then letters and digits, 3–45 long. Default: WEBSITE_SITE_NAME sanitized, else TestHubName. */
function readHubName(value: unknown, settings: AppSettings, file: string): string {
  if (value === undefined || value === null) {
    const site = settings.get('WEBSITE_SITE_NAME')?.replace(/[^A-Za-z0-9]/g, '');
    if (!site) {
      return 'TestHubName';
    }
    const trimmed = site.slice(0, 45);
    return trimmed.length < 3 ? `${trimmed}Hub` : trimmed;
  }
  const resolved =
    typeof value === 'string'
      ? settings.resolveExpressions(value, { functionName: 'host.json', property: 'extensions.durableTask.hubName' })
      : value;
  if (typeof resolved !== 'string' || !/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(resolved)) {
    throw new ConfigurationError(
      `${file}: "extensions.durableTask.hubName" must start with a letter and have 3–45 letters or digits, but is ` +
        `${JSON.stringify(resolved)}.`,
      { file, setting: 'extensions.durableTask.hubName' },
    );
  }
  return resolved;
}

function readBackend(value: unknown, file: string): BackendKind {
  if (value === undefined || value === null || (typeof value === 'string' && /^azurestorage$/i.test(value))) {
    return 'azureStorage';
  }
  if (typeof value === 'string' && /^(memory|inmemory)$/i.test(value)) {
    return 'memory';
  }
  throw new ConfigurationError(
    `${file}: "extensions.durableTask.storageProvider.type" must be "AzureStorage" or "memory" here, but is ` +
      `${JSON.stringify(value)}.`,
    { file, setting: 'extensions.durableTask.storageProvider.type' },
  );
}

function readPartitionCount(value: number | undefined, file: string): number {
  const count = value ?? 4;
  if (!Number.isInteger(count) || count < 1 || count > 16) {
    throw new ConfigurationError(
      `${file}: "extensions.durableTask.storageProvider.partitionCount" must be an integer from 1 to 16, but is ${count}.`,
      { file, setting: 'extensions.durableTask.storageProvider.partitionCount' },
    );
  }
  return count;
}

/** `NonRunningStates` (default) or `AnyState` (source: ext `OverridableStates.cs`). */
function readOverridable(value: unknown, file: string): RuntimeStatus[] {
  if (value === undefined || value === null || (typeof value === 'string' && /^nonrunningstates$/i.test(value))) {
    return nonRunning;
  }
  if (typeof value === 'string' && /^anystate$/i.test(value)) {
    return anyStatus;
  }
  throw new ConfigurationError(
    `${file}: "extensions.durableTask.overridableExistingInstanceStates" must be "NonRunningStates" or "AnyState", ` +
      `but is ${JSON.stringify(value)}.`,
    { file, setting: 'extensions.durableTask.overridableExistingInstanceStates' },
  );
}
