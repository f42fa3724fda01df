import path from 'node:path';
import { odata } from '@azure/data-tables';
import { sentinelRowKey } from '../../../src/durable/backend/azureStorage/historyEntity';
import { EventType, type HistoryEvent } from '../../../src/durable/backend/types';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import type { StorageAccount } from '../../../src/storage/storageAccount';
import { prepareApp, startTestAzurite } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';
import { storageFor, uniqueHubName } from './backendHarness';
import { durableHostJson } from './durableHost';
import { platformIsBuilt, startDurableHostProcess, type DurableHostProcess } from './durableHostProcess';
import { clientFor } from './taskHubInspection';

// Short visibility timeouts so the messages the killed host held reappear within seconds (default 5 minutes).
const crashProvider = { controlQueueVisibilityTimeout: '00:00:05', workItemQueueVisibilityTimeout: '00:00:05' };
const crashingHostScript = path.join(__dirname, 'crashingHostMain.js');
const describeBuilt = platformIsBuilt() ? describe : describe.skip;

/** Task ids of the events of one type, in history order. */
function idsOf(history: readonly HistoryEvent[], type: number): number[] {
  return history
    .filter((e) => e.EventType === type)
    .map((e) => (type === EventType.TaskScheduled ? e.EventId : (e.TaskScheduledId ?? -1)));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describeBuilt('Continue-as-new of more than 99 history events across a host crash', () => {
  let azurite: EmbeddedAzurite;
  let storage: StorageAccount;
  const processes: DurableHostProcess[] = [];

  beforeAll(async () => {
    azurite = await startTestAzurite();
    storage = storageFor(azurite.connectionString);
  });

  afterEach(async () => {
    await Promise.allSettled(processes.splice(0).map((p) => p.kill()));
  });

  afterAll(async () => {
    await azurite.close();
  });

  async function historyRows(table: string, partitionKey: string): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    const filter = odata`PartitionKey eq ${partitionKey}`;
    for await (const row of storage.table(table).listEntities({ queryOptions: { filter } })) {
      rows.push(row);
    }
    return rows.sort((a, b) => (String(a.rowKey) < String(b.rowKey) ? -1 : 1));
  }

  it('keeps the old execution whole when the host dies between the new first episode’s transactions, then completes the new one', async () => {
    const hubName = uniqueHubName();
    const app = prepareApp('durable-continue-as-new-app', {
      hostJson: durableHostJson(hubName, crashProvider),
      values: { AzureWebJobsStorage: azurite.connectionString },
    });
    const { client, backend } = clientFor(storage, hubName);
    const instanceId = 'generations-1';
    const env = { AzureWebJobsStorage: azurite.connectionString, CRASH_INSTANCE_ID: instanceId };
    try {
      // Generation 0: 30 activities in sequence (about 120 history rows, in checkpoints of a few events).
      // Generation 1 starts with 150 activities: a first episode of 153 events, two table transactions.
      const crashing = await startDurableHostProcess(app.appDir, env, 60_000, crashingHostScript);
      processes.push(crashing);
      await client.startNew('generations', {
        instanceId,
        input: JSON.stringify({ generation: 0, steps: 30, fanOut: 150 }),
      });
      await waitFor('the host to die between the transactions', () => !isAlive(crashing.pid), {
        timeoutMs: 120_000,
        intervalMs: 50,
      }).catch(async (error: Error) => {
        const state = await backend.getInstance(instanceId);
        throw new Error(`${error.message}; instance ${state?.runtimeStatus ?? 'missing'}\n${crashing.output()}`);
      });

      // What the crash left reads back as generation 0, whole: its start, the 30 activities and the timer, whose
      // firing (the message that continued as new) is not in the history yet.
      const left = await backend.getHistory(instanceId);
      const started = left.filter((e) => e.EventType === EventType.ExecutionStarted);
      expect(started.map((e) => JSON.parse(e.Input ?? 'null') as unknown)).toEqual([
        { generation: 0, steps: 30, fanOut: 150 },
      ]);
      expect(left[0]?.EventType).toBe(EventType.OrchestratorStarted);
      expect(idsOf(left, EventType.TaskScheduled)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(idsOf(left, EventType.TaskCompleted)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(left.filter((e) => e.EventType === EventType.TimerCreated).map((e) => e.EventId)).toEqual([30]);
      expect(left.some((e) => e.EventType === EventType.TimerFired)).toBe(false);
      expect(left.at(-1)?.EventType).toBe(EventType.OrchestratorCompleted);

      // A new host takes the partitions over once the dead host's leases lapse, and redoes the continue-as-new.
      processes.push(await startDurableHostProcess(app.appDir, { AzureWebJobsStorage: azurite.connectionString }));
      const done = await waitFor(
        'the orchestration to complete',
        async () => {
          const state = await backend.getInstance(instanceId);
          return state?.runtimeStatus === 'Completed' && state;
        },
        { timeoutMs: 180_000, intervalMs: 250 },
      );
      expect(JSON.parse(done.output ?? 'null')).toEqual({ generation: 1, total: (149 * 150) / 2 });
      expect(done.generation).toBe(1);

      // The table holds generation 1 from the first row, as the provider leaves it: rows of another execution
      // only after its last event, and a sentinel naming it with no saved copy left.
      const history = await backend.getHistory(instanceId);
      expect(idsOf(history, EventType.TaskScheduled)).toEqual(Array.from({ length: 150 }, (_, i) => i));
      expect(idsOf(history, EventType.TaskCompleted).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 150 }, (_, i) => i),
      );
      const rows = await historyRows(backend.names.historyTable, instanceId);
      const sentinel = rows.find((row) => row.rowKey === sentinelRowKey);
      const events = rows.filter((row) => row.rowKey !== sentinelRowKey);
      const executionId = done.executionId;
      expect(sentinel).toMatchObject({ ExecutionId: executionId, IsCheckpointComplete: true });
      expect(Object.keys(sentinel ?? {}).filter((key) => key.endsWith('BlobName'))).toEqual([]);
      expect(events.slice(0, history.length).every((row) => row.ExecutionId === executionId)).toBe(true);
      expect(events.slice(history.length).every((row) => row.ExecutionId !== executionId)).toBe(true);
      const copies = [];
      const container = storage.blob.getContainerClient(backend.names.largeMessageContainer);
      for await (const blob of container.listBlobsFlat({ prefix: `${instanceId}/history-saved-` })) {
        copies.push(blob.name);
      }
      expect(copies).toEqual([]);
    } finally {
      app.remove();
    }
  }, 300_000);
});
