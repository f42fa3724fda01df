import type { StorageAccount } from '../../../src/storage/storageAccount';
import { AzureStorageTaskHubBackend } from '../../../src/durable/backend/azureStorage/azureStorageBackend';
import { TaskHubClient } from '../../../src/durable/client/taskHubClient';
import { EventType } from '../../../src/durable/backend/types';
import { systemClock } from '../../../src/clock/clock';
import { createLogger } from '../../../src/host/logger';

/** One execution of the fixture's `step` activity, as it recorded itself. */
export interface SideEffect {
  instanceId: string;
  step: number;
  pid: number;
}

/** A client on the task hub from the test process (the backend is never started: it only writes and reads). */
export function clientFor(
  storage: StorageAccount,
  hubName: string,
): {
  client: TaskHubClient;
  backend: AzureStorageTaskHubBackend;
} {
  const backend = new AzureStorageTaskHubBackend({
    storage,
    hubName,
    partitionCount: 4,
    workerId: 'test-client',
    maxPollingIntervalMs: 1_000,
    controlQueueVisibilityTimeoutMs: 30_000,
    workItemVisibilityTimeoutMs: 30_000,
    controlQueueBatchSize: 32,
    clock: systemClock,
    logger: createLogger({ levels: { default: 'none' } }),
  });
  const catalog = { orchestrator: (name: string) => name, entity: (name: string) => name };
  return { client: new TaskHubClient(backend, catalog, systemClock, ['Completed', 'Failed', 'Terminated']), backend };
}

/** Every activity execution the fixture recorded in its `DurableSideEffects` table. */
export async function readSideEffects(storage: StorageAccount): Promise<SideEffect[]> {
  const effects: SideEffect[] = [];
  try {
    for await (const row of storage.table('DurableSideEffects').listEntities()) {
      effects.push({ instanceId: String(row.partitionKey), step: Number(row.step), pid: Number(row.pid) });
    }
  } catch {
    return effects; // The table appears with the first execution.
  }
  return effects;
}

/** For each instance, the task ids whose completion its history holds now. */
export async function recordedCompletions(
  backend: AzureStorageTaskHubBackend,
  instanceIds: readonly string[],
): Promise<Map<string, Set<number>>> {
  const recorded = new Map<string, Set<number>>();
  for (const id of instanceIds) {
    const history = await backend.getHistory(id);
    const done = history.filter((e) => e.EventType === EventType.TaskCompleted).map((e) => e.TaskScheduledId ?? -1);
    recorded.set(id, new Set(done));
  }
  return recorded;
}

/** Lease owners per partition as the lease blobs show them (owner metadata of live leases). */
export async function leaseOwners(storage: StorageAccount, leaseContainer: string): Promise<(string | undefined)[]> {
  const owners: (string | undefined)[] = [];
  const container = storage.blob.getContainerClient(leaseContainer);
  for await (const blob of container.listBlobsFlat({ prefix: 'default/', includeMetadata: true })) {
    owners.push(blob.properties.leaseState === 'leased' ? blob.metadata?.owner : undefined);
  }
  return owners;
}

/** History and queued messages of the instances that did not complete, for a failure message. */
export async function describeStragglers(
  storage: StorageAccount,
  backend: AzureStorageTaskHubBackend,
  instanceIds: readonly string[],
): Promise<string> {
  const lines: string[] = [];
  for (const id of instanceIds) {
    const state = await backend.getInstance(id);
    if (state?.runtimeStatus === 'Completed') {
      continue;
    }
    const history = await backend.getHistory(id);
    lines.push(`${id}: ${history.map((e) => `${e.EventType}/${e.EventId}/${e.TaskScheduledId ?? ''}`).join(' ')}`);
  }
  for (const queue of [...backend.names.controlQueues, backend.names.workItemQueue]) {
    const properties = await storage.queue.getQueueClient(queue).getProperties();
    const peeked = await storage.queue.getQueueClient(queue).peekMessages({ numberOfMessages: 32 });
    const texts = peeked.peekedMessageItems.map((m) => m.messageText.slice(0, 300));
    lines.push(`${queue}: ${properties.approximateMessagesCount ?? 0} messages; visible: ${texts.join(' | ')}`);
  }
  return lines.join('\n');
}
