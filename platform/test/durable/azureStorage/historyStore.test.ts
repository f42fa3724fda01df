import { randomUUID } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { systemClock } from '../../../src/clock/clock';
import { savedHistoryColumn, sentinelRowKey } from '../../../src/durable/backend/azureStorage/historyEntity';
import { HistoryStore, type LoadedHistory } from '../../../src/durable/backend/azureStorage/tracking/historyStore';
import { EventType, type HistoryEvent } from '../../../src/durable/backend/types';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import type { StorageAccount } from '../../../src/storage/storageAccount';
import { startTestAzurite } from '../../helpers/testHost';
import { event, storageFor } from './backendHarness';
import { CrashSwitch, SimulatedCrashError, SwitchedPayloadStore } from './crashSwitch';

const noHistory: LoadedHistory = { executionId: '', events: [], etag: undefined };

/** One episode of an execution that schedules `activities` activities: 3 + `activities` events. */
function execution(instanceId: string, executionId: string, activities: number): HistoryEvent[] {
  return [
    event(EventType.OrchestratorStarted),
    event(EventType.ExecutionStarted, {
      Name: 'loop',
      Input: JSON.stringify({ executionId }),
      OrchestrationInstance: { InstanceId: instanceId, ExecutionId: executionId },
    }),
    ...Array.from({ length: activities }, (_, i) =>
      event(EventType.TaskScheduled, { EventId: i, Name: 'step', Input: String(i) }),
    ),
    event(EventType.OrchestratorCompleted),
  ];
}

/** A history as execution id and one `type/id/name` word per event, for readable failures. */
function summary(executionId: string, events: readonly HistoryEvent[]): { executionId: string; events: string } {
  return { executionId, events: events.map((e) => `${e.EventType}/${e.EventId}/${e.Name ?? ''}`).join(' ') };
}

describe('History table checkpoints that replace an execution', () => {
  let azurite: EmbeddedAzurite;
  let storage: StorageAccount;
  const tableName = `H${randomUUID().replace(/-/g, '').slice(0, 12)}History`;
  const containerName = `h${randomUUID().replace(/-/g, '').slice(0, 12)}-largemessages`;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    storage = storageFor(azurite.connectionString);
    await storage.tables.createTable(tableName);
    await storage.blob.createContainer(containerName);
  });

  afterAll(async () => {
    await azurite.close();
  });

  /** The history store of one (simulated) host process. */
  function processStore(crashSwitch = new CrashSwitch()): HistoryStore {
    const table = crashSwitch.attachTo(storage.table(tableName));
    const payloads = new SwitchedPayloadStore(storage.blob.getContainerClient(containerName), crashSwitch);
    return new HistoryStore(table, payloads, systemClock);
  }

  /** Runs a write that may stop at a simulated crash; any other failure fails the test. */
  async function writeUntilCrash(store: HistoryStore, write: Parameters<HistoryStore['write']>[0]): Promise<void> {
    try {
      await store.write(write);
    } catch (error) {
      if (!(error instanceof SimulatedCrashError)) {
        throw error;
      }
    }
  }

  async function rows(instanceId: string): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    const filter = odata`PartitionKey eq ${instanceId}`;
    for await (const row of storage.table(tableName).listEntities({ queryOptions: { filter } })) {
      found.push(row);
    }
    return found;
  }

  /** How the provider reads the table: rows in key order while their ExecutionId is the sentinel's. */
  async function providerView(instanceId: string): Promise<{ executionId: unknown; events: number }> {
    const all = await rows(instanceId);
    const sentinel = all.find((row) => row.rowKey === sentinelRowKey);
    const events = all
      .filter((row) => row.rowKey !== sentinelRowKey)
      .sort((a, b) => (String(a.rowKey) < String(b.rowKey) ? -1 : 1));
    const current = events.findIndex((row) => row.ExecutionId !== sentinel?.ExecutionId);
    return { executionId: sentinel?.ExecutionId, events: current === -1 ? events.length : current };
  }

  async function savedHistoryBlobs(instanceId: string): Promise<string[]> {
    const names: string[] = [];
    const container = storage.blob.getContainerClient(containerName);
    for await (const blob of container.listBlobsFlat({ prefix: `${instanceId}/history-saved-` })) {
      names.push(blob.name);
    }
    return names;
  }

  it('reads back the whole old or the whole new execution whichever storage request a continue-as-new of more than 99 events stops at', async () => {
    // Old execution: 200 events. New one: 250 events in three transactions, written after a saved copy of the
    // old one: upload, transaction, transaction, final transaction, delete of the copy.
    const requests = 5;
    for (let crashAt = 1; crashAt <= requests + 1; crashAt++) {
      const instanceId = `can-${crashAt}`;
      const old = execution(instanceId, 'E1', 197);
      const next = execution(instanceId, 'E2', 247);
      await processStore().write({ instanceId, executionId: 'E1', loaded: noHistory, events: old, replace: true });
      const loaded = await processStore().read(instanceId);
      expect(summary(loaded.executionId, loaded.events)).toEqual(summary('E1', old));

      const crashing = new CrashSwitch(crashAt);
      await writeUntilCrash(processStore(crashing), {
        instanceId,
        executionId: 'E2',
        loaded,
        events: next,
        replace: true,
      });
      expect({ crashAt, sent: crashing.sent }).toEqual({ crashAt, sent: Math.min(crashAt - 1, requests) });

      // A restarted process reads what the crash left: the old execution until the final transaction is in.
      const restarted = processStore();
      const after = await restarted.read(instanceId);
      const expected = crashAt <= requests - 1 ? summary('E1', old) : summary('E2', next);
      expect({ crashAt, ...summary(after.executionId, after.events) }).toEqual({ crashAt, ...expected });
      expect(after.events).toEqual(crashAt <= requests - 1 ? old : next);

      // It redoes the continue-as-new (a shorter new execution this time) and leaves the provider's layout.
      const redone = execution(instanceId, 'E3', 147);
      await restarted.write({ instanceId, executionId: 'E3', loaded: after, events: redone, replace: true });
      const final = await processStore().read(instanceId);
      expect(summary(final.executionId, final.events)).toEqual(summary('E3', redone));
      expect(await providerView(instanceId)).toEqual({ executionId: 'E3', events: 150 });
      const sentinel = (await rows(instanceId)).find((row) => row.rowKey === sentinelRowKey);
      expect(sentinel).toMatchObject({ ExecutionId: 'E3', IsCheckpointComplete: true, CheckpointEventCount: 150 });
      expect(sentinel).not.toHaveProperty(savedHistoryColumn);
      // A crash between the copy's upload and the first transaction, or before its delete, leaves the copy behind
      // unnamed (purge removes it with the instance); a named copy is reused by the redo and deleted.
      expect({ crashAt, copies: (await savedHistoryBlobs(instanceId)).length }).toEqual({
        crashAt,
        copies: crashAt === 2 || crashAt === requests ? 1 : 0,
      });
    }
  }, 120_000);

  it('saves no copy when the old execution ends within the final transaction, so the request count stays the same', async () => {
    const instanceId = 'short-old';
    const old = execution(instanceId, 'E1', 47);
    await processStore().write({ instanceId, executionId: 'E1', loaded: noHistory, events: old, replace: true });
    const loaded = await processStore().read(instanceId);
    const next = execution(instanceId, 'E2', 147);

    const crashing = new CrashSwitch(2);
    await writeUntilCrash(processStore(crashing), {
      instanceId,
      executionId: 'E2',
      loaded,
      events: next,
      replace: true,
    });
    expect(crashing.sent).toBe(1);
    const after = await processStore().read(instanceId);
    expect(after.events).toEqual(old);

    const counting = new CrashSwitch();
    await processStore(counting).write({ instanceId, executionId: 'E2', loaded: after, events: next, replace: true });
    expect(counting.sent).toBe(2);
    expect((await processStore().read(instanceId)).events).toEqual(next);
    expect(await savedHistoryBlobs(instanceId)).toEqual([]);
  });

  it('appends to an execution read from its saved copy by rewriting the execution from its first row', async () => {
    const instanceId = 'append-after-crash';
    const old = execution(instanceId, 'E1', 197);
    await processStore().write({ instanceId, executionId: 'E1', loaded: noHistory, events: old, replace: true });
    const loaded = await processStore().read(instanceId);

    // The process dies after the continue-as-new's first transaction overwrote rows of the old execution.
    const next = execution(instanceId, 'E2', 247);
    await writeUntilCrash(processStore(new CrashSwitch(3)), {
      instanceId,
      executionId: 'E2',
      loaded,
      events: next,
      replace: true,
    });
    const restored = await processStore().read(instanceId);
    expect(restored.events).toEqual(old);
    expect(restored.savedHistory).toBeDefined();

    // The redelivered messages now bring a termination instead: it is appended to the old execution.
    const terminated = [
      event(EventType.OrchestratorStarted),
      event(EventType.ExecutionTerminated, { Input: '"stop"' }),
      event(EventType.ExecutionCompleted, { OrchestrationStatus: 'Terminated', Result: '"stop"' }),
      event(EventType.OrchestratorCompleted),
    ];
    await processStore().write({ instanceId, executionId: 'E1', loaded: restored, events: terminated, replace: false });

    const final = await processStore().read(instanceId);
    expect(final.savedHistory).toBeUndefined();
    expect(final.events).toEqual([...old, ...terminated]);
    expect(await providerView(instanceId)).toEqual({ executionId: 'E1', events: 204 });
    expect(await savedHistoryBlobs(instanceId)).toEqual([]);
  });
});
