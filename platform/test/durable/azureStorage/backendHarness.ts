import { randomUUID } from 'node:crypto';
import { systemClock } from '../../../src/clock/clock';
import { createLogger, type LogRecord } from '../../../src/host/logger';
import {
  AzureStorageTaskHubBackend,
  type AzureStorageBackendOptions,
} from '../../../src/durable/backend/azureStorage/azureStorageBackend';
import { EventType, type HistoryEvent, type InstanceState, type TaskMessage } from '../../../src/durable/backend/types';
import { createStorageAccount, type StorageAccount } from '../../../src/storage/storageAccount';

/** A unique task hub name per test, so tests sharing one Azurite never see each other's messages. */
export function uniqueHubName(): string {
  return `Hub${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

/** Storage clients for an Azurite connection string, with one try per request (no retry storms after close). */
export function storageFor(connectionString: string): StorageAccount {
  return createStorageAccount('AzureWebJobsStorage', connectionString);
}

/** A backend with short polling and lease timings for tests. */
export function createTestBackend(
  storage: StorageAccount,
  hubName: string,
  overrides: Partial<AzureStorageBackendOptions> = {},
): { backend: AzureStorageTaskHubBackend; logs: LogRecord[] } {
  const logs: LogRecord[] = [];
  const backend = new AzureStorageTaskHubBackend({
    storage,
    hubName,
    partitionCount: 4,
    workerId: `worker-${randomUUID().slice(0, 8)}`,
    maxPollingIntervalMs: 200,
    controlQueueVisibilityTimeoutMs: 30_000,
    workItemVisibilityTimeoutMs: 30_000,
    controlQueueBatchSize: 32,
    clock: systemClock,
    logger: createLogger({ levels: { default: 'debug' }, sink: (record) => logs.push(record) }),
    leaseTimings: { leaseIntervalMs: 15_000, renewIntervalMs: 1_000, acquireIntervalMs: 500 },
    ...overrides,
  });
  return { backend, logs };
}

/** A history event with the common keys filled in. */
export function event(eventType: number, fields: Partial<HistoryEvent> = {}): HistoryEvent {
  return {
    EventType: eventType as HistoryEvent['EventType'],
    EventId: -1,
    IsPlayed: false,
    Timestamp: new Date().toISOString(),
    ...fields,
  };
}

/** The Pending row and ExecutionStarted message a client start writes. */
export function startOf(instanceId: string, input = '{"n":1}'): { instance: InstanceState; message: TaskMessage } {
  const now = new Date().toISOString();
  const executionId = randomUUID().replace(/-/g, '');
  return {
    instance: {
      instanceId,
      name: 'sequence',
      executionId,
      runtimeStatus: 'Pending',
      input,
      createdTime: now,
      lastUpdatedTime: now,
      generation: 0,
    },
    message: {
      instanceId,
      executionId,
      event: event(EventType.ExecutionStarted, {
        Name: 'sequence',
        Input: input,
        OrchestrationInstance: { InstanceId: instanceId, ExecutionId: executionId },
      }),
    },
  };
}

/** Polls `lockNext` until it yields a work item or the deadline passes. */
export async function lockWithin<T>(
  what: string,
  lockNext: (signal: AbortSignal) => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const item = await lockNext(AbortSignal.timeout(Math.max(1, deadline - Date.now())));
    if (item !== undefined) {
      return item;
    }
  }
  throw new Error(`Timed out waiting for ${what}`);
}
