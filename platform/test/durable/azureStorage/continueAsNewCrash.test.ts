import { odata } from '@azure/data-tables';
import { sentinelRowKey } from '../../../src/durable/backend/azureStorage/historyEntity';
import { EventType, type HistoryEvent } from '../../../src/durable/backend/types';
import { waitFor } from '../../helpers/waitFor';
import { uniqueHubName } from './backendHarness';
import { crashProvider, describeBuilt, isAlive, useHostProcessesOnAzurite } from './hostProcessHarness';
import { clientFor } from './taskHubInspection';

const crashingExtensions = require.resolve('./crashingExtensions.js');

/** Task ids of the events of one type, in history order. */
function idsOf(history: readonly HistoryEvent[], type: number): number[] {
  return history
    .filter((e) => e.EventType === type)
    .map((e) => (type === EventType.TaskScheduled ? e.EventId : (e.TaskScheduledId ?? -1)));
}

describeBuilt('Continue-as-new of more than 99 history events across a host crash', () => {
  const harness = useHostProcessesOnAzurite();

  async function historyRows(table: string, partitionKey: string): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    const filter = odata`PartitionKey eq ${partitionKey}`;
    for await (const row of harness.storage.table(table).listEntities({ queryOptions: { filter } })) {
      rows.push(row);
    }
    return rows.sort((a, b) => (String(a.rowKey) < String(b.rowKey) ? -1 : 1));
  }

  it('keeps the old execution whole when the host dies between the new first episode’s transactions, then completes the new one', async () => {
    const { storage } = harness;
    const hubName = uniqueHubName();
    const appDir = harness.prepareApp('durable-continue-as-new-app', hubName, crashProvider);
    const { client, backend } = clientFor(storage, hubName);
    const instanceId = 'generations-1';
    // Generation 0: 30 activities in sequence (about 120 history rows, in checkpoints of a few events).
    // Generation 1 starts with 150 activities: a first episode of 153 events, two table transactions.
    const crashing = await harness.startHost(appDir, {
      env: { CRASH_INSTANCE_ID: instanceId },
      extensionsModule: crashingExtensions,
    });
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
    await harness.startHost(appDir);
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
  }, 300_000);
});
