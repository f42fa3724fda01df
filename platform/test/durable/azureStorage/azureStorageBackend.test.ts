import { odata } from '@azure/data-tables';
import { HistoryConflictError } from '../../../src/durable/backend/errors';
import { AzureStorageTaskHubBackend } from '../../../src/durable/backend/azureStorage/azureStorageBackend';
import { EventType } from '../../../src/durable/backend/types';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import type { StorageAccount } from '../../../src/storage/storageAccount';
import { startTestAzurite } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';
import { createTestBackend, event, lockWithin, startOf, storageFor, uniqueHubName } from './backendHarness';

describe('Azure Storage task hub backend', () => {
  let azurite: EmbeddedAzurite;
  let storage: StorageAccount;
  const running: AzureStorageTaskHubBackend[] = [];

  beforeAll(async () => {
    azurite = await startTestAzurite();
    storage = storageFor(azurite.connectionString);
  });

  afterEach(async () => {
    await Promise.allSettled(running.splice(0).map((backend) => backend.stop()));
  });

  afterAll(async () => {
    await azurite.close();
  });

  async function started(hubName = uniqueHubName(), overrides = {}) {
    const made = createTestBackend(storage, hubName, overrides);
    running.push(made.backend);
    await made.backend.start();
    return made.backend;
  }

  it('runs an episode, an activity and the next episode through the provider tables and queues', async () => {
    const backend = await started();
    const { instance, message } = startOf('order-1');
    await backend.createInstance(instance, message);
    expect(await backend.getInstance('order-1')).toMatchObject({ runtimeStatus: 'Pending', input: '{"n":1}' });

    const first = await lockWithin('the start work item', (s) => backend.lockNextOrchestrationWorkItem(s));
    expect(first.instanceId).toBe('order-1');
    expect(first.history).toEqual([]);
    expect(first.etag).toBeUndefined();
    expect(first.messages.map((m) => m.message.event.EventType)).toEqual([EventType.ExecutionStarted]);

    const scheduled = event(EventType.TaskScheduled, { EventId: 0, Name: 'step', Input: '1' });
    const episode = [
      event(EventType.OrchestratorStarted),
      message.event,
      scheduled,
      event(EventType.OrchestratorCompleted),
    ];
    await backend.completeOrchestrationWorkItem(first, {
      activityMessages: [{ instanceId: 'order-1', executionId: message.executionId, event: scheduled }],
      orchestrationMessages: [],
      history: { executionId: message.executionId as string, events: episode, replace: false },
      instance: { ...instance, runtimeStatus: 'Running' },
      consumedMessageIds: first.messages.map((m) => m.messageId),
    });

    const rows = await listRows(backend.names.historyTable, 'order-1');
    expect(rows.map((r) => r.rowKey)).toEqual([
      '0000000000000000',
      '0000000000000001',
      '0000000000000002',
      '0000000000000003',
      'sentinel',
    ]);
    expect(rows[2]).toMatchObject({ EventType: 'TaskScheduled', Name: 'step', ExecutionId: message.executionId });
    expect(rows[4]).toMatchObject({ IsCheckpointComplete: true, ExecutionId: message.executionId });
    expect(await backend.getInstance('order-1')).toMatchObject({ runtimeStatus: 'Running' });

    const activity = await lockWithin('the activity', (s) => backend.lockNextActivityWorkItem(s));
    expect(activity.message.event).toMatchObject({ EventType: EventType.TaskScheduled, Name: 'step', EventId: 0 });
    await backend.completeActivityWorkItem(activity, {
      instanceId: 'order-1',
      executionId: message.executionId,
      event: event(EventType.TaskCompleted, { TaskScheduledId: 0, Result: '"ok"' }),
    });

    const second = await lockWithin('the completion work item', (s) => backend.lockNextOrchestrationWorkItem(s));
    expect(second.history.map((e) => e.EventType)).toEqual(episode.map((e) => e.EventType));
    expect(second.history[1]).toMatchObject({ Name: 'sequence', Input: '{"n":1}' });
    expect(second.etag).toBeDefined();
    expect(second.messages[0]?.message.event).toMatchObject({ EventType: EventType.TaskCompleted, Result: '"ok"' });
    expect(await backend.getHistory('order-1')).toHaveLength(4);
  });

  it('refuses a checkpoint whose history changed since it was loaded and redelivers its messages', async () => {
    const backend = await started();
    const { instance, message } = startOf('conflict-1');
    await backend.createInstance(instance, message);
    const item = await lockWithin('the start work item', (s) => backend.lockNextOrchestrationWorkItem(s));

    // Another writer created the history first.
    await storage
      .table(backend.names.historyTable)
      .createEntity({ partitionKey: 'conflict-1', rowKey: 'sentinel', ExecutionId: 'x' });
    await expect(
      backend.completeOrchestrationWorkItem(item, {
        activityMessages: [],
        orchestrationMessages: [],
        history: { executionId: message.executionId as string, events: [message.event], replace: false },
        instance: undefined,
        consumedMessageIds: item.messages.map((m) => m.messageId),
      }),
    ).rejects.toBeInstanceOf(HistoryConflictError);

    const again = await lockWithin('the redelivered message', (s) => backend.lockNextOrchestrationWorkItem(s));
    expect(again.messages.map((m) => m.messageId)).toEqual(item.messages.map((m) => m.messageId));
    expect(again.etag).toBeDefined();
  });

  it('keeps payloads too large for a queue message or a table property in blobs and reads them back', async () => {
    const backend = await started();
    const big = JSON.stringify('x'.repeat(200_000));
    const { instance, message } = startOf('large-1', big);
    await backend.createInstance(instance, message);
    const item = await lockWithin('the large start message', (s) => backend.lockNextOrchestrationWorkItem(s));
    expect(item.messages[0]?.message.event.Input).toBe(big);
    expect(item.instance?.input).toBe(big);

    await backend.completeOrchestrationWorkItem(item, {
      activityMessages: [],
      orchestrationMessages: [],
      history: { executionId: message.executionId as string, events: [message.event], replace: false },
      instance: { ...instance, runtimeStatus: 'Completed', output: big },
      consumedMessageIds: item.messages.map((m) => m.messageId),
    });
    const [row] = await listRows(backend.names.historyTable, 'large-1');
    expect(row).toMatchObject({ Input: '' });
    expect(String(row?.InputBlobName)).toMatch(
      /^large-1\/history-0000000000000000-ExecutionStarted-[0-9A-F]{8}-Input\.json\.gz$/,
    );
    expect((await backend.getHistory('large-1'))[0]?.Input).toBe(big);
    expect((await backend.getInstance('large-1'))?.output).toBe(big);

    expect(await backend.purgeInstance('large-1')).toBe(true);
    expect(await backend.getInstance('large-1')).toBeUndefined();
    const blobs = [];
    for await (const blob of storage.blob.getContainerClient(backend.names.largeMessageContainer).listBlobsFlat()) {
      blobs.push(blob.name);
    }
    expect(blobs).toEqual([]);
  });

  it('delivers a timer message no earlier than its deliverAt', async () => {
    const backend = await started();
    const deliverAt = Date.now() + 2_000;
    await backend.sendOrchestrationMessages([
      { instanceId: 'timer-1', event: event(EventType.TimerFired, { TimerId: 1 }), deliverAt },
    ]);
    const item = await lockWithin('the timer', (s) => backend.lockNextOrchestrationWorkItem(s));
    expect(Date.now()).toBeGreaterThanOrEqual(deliverAt - 50);
    expect(item.messages[0]?.message.deliverAt).toBe(deliverAt);
  });

  it('delivers a message due beyond the queue visibility limit by sending it again until it is due', async () => {
    // A 1-second limit stands in for the queue's 7 days.
    const backend = await started(uniqueHubName(), { maxQueueDelaySeconds: 1 });
    const deliverAt = Date.now() + 3_500;
    await backend.sendOrchestrationMessages([
      { instanceId: 'long-timer', event: event(EventType.TimerFired, { TimerId: 7 }), deliverAt },
    ]);
    const item = await lockWithin('the long timer', (s) => backend.lockNextOrchestrationWorkItem(s));
    expect(Date.now()).toBeGreaterThanOrEqual(deliverAt - 1_000);
    expect(item.messages).toHaveLength(1);
    expect(item.messages[0]?.message.event).toMatchObject({ EventType: EventType.TimerFired, TimerId: 7 });
  });

  it('moves a control message that is not task hub JSON to the poison queue with its reason and keeps going', async () => {
    const backend = await started();
    const queue = backend.names.controlQueues[0] as string;
    await storage.queue.getQueueClient(queue).sendMessage('not a task message');
    const poison = storage.queue.getQueueClient(`${queue}-poison`);
    const [moved] = await waitFor('the poison message', async () => {
      const { receivedMessageItems } = await poison.receiveMessages();
      return receivedMessageItems.length > 0 && receivedMessageItems;
    });
    expect(JSON.parse(moved?.messageText ?? '{}')).toMatchObject({
      queue,
      text: 'not a task message',
      reason: expect.stringContaining(`Message on queue '${queue}' is not JSON`) as unknown,
    });

    const { instance, message } = startOf('after-poison');
    await backend.createInstance(instance, message);
    const item = await lockWithin('a work item after the poison message', (s) =>
      backend.lockNextOrchestrationWorkItem(s),
    );
    expect(item.instanceId).toBe('after-poison');
  });

  it('writes a checkpoint of more than 99 events in several batches', async () => {
    const backend = await started();
    const { instance, message } = startOf('fanout-1');
    await backend.createInstance(instance, message);
    const item = await lockWithin('the start', (s) => backend.lockNextOrchestrationWorkItem(s));
    const scheduled = Array.from({ length: 250 }, (_, i) => event(EventType.TaskScheduled, { EventId: i, Name: 'a' }));
    await backend.completeOrchestrationWorkItem(item, {
      activityMessages: [],
      orchestrationMessages: [],
      history: { executionId: message.executionId as string, events: [message.event, ...scheduled], replace: false },
      instance: undefined,
      consumedMessageIds: item.messages.map((m) => m.messageId),
    });
    const history = await backend.getHistory('fanout-1');
    expect(history).toHaveLength(251);
    expect(history[250]).toMatchObject({ EventId: 249 });
  });

  it('queries instances by status and prefix, page by page, and purges by filter', async () => {
    const backend = await started();
    for (const id of ['q-a', 'q-b', 'q-c', 'other']) {
      const { instance } = startOf(id);
      await backend.createInstance(
        { ...instance, runtimeStatus: id === 'q-c' ? 'Completed' : 'Running' },
        startOf(id).message,
      );
    }
    const running = await backend.queryInstances({ runtimeStatus: ['Running'], instanceIdPrefix: 'q-' });
    expect(running.instances.map((i) => i.instanceId)).toEqual(['q-a', 'q-b']);

    const page = await backend.queryInstances({ top: 2 });
    expect(page.instances).toHaveLength(2);
    const rest = await backend.queryInstances({ top: 2, continuationToken: page.continuationToken });
    expect([...page.instances, ...rest.instances].map((i) => i.instanceId).sort()).toEqual([
      'other',
      'q-a',
      'q-b',
      'q-c',
    ]);

    const purged = await backend.purgeInstances({
      createdTimeFrom: '2000-01-01T00:00:00Z',
      runtimeStatus: ['Completed'],
    });
    expect(purged).toBe(1);
    expect(await backend.getInstance('q-c')).toBeUndefined();
  });

  it('shares the partitions between two hosts and hands a stopped host’s partitions to the other', async () => {
    const hubName = uniqueHubName();
    const a = await started(hubName);
    expect(a.ownedPartitions).toEqual([0, 1, 2, 3]);
    const b = await started(hubName);
    await waitFor(
      'the partitions to be split two and two',
      () => a.ownedPartitions.length === 2 && b.ownedPartitions.length === 2,
      {
        timeoutMs: 20_000,
      },
    );
    expect([...a.ownedPartitions, ...b.ownedPartitions].sort()).toEqual([0, 1, 2, 3]);

    await a.stop();
    await waitFor('host b to own every partition', () => b.ownedPartitions.length === 4, { timeoutMs: 20_000 });
  });

  async function listRows(table: string, partitionKey: string) {
    const rows: Record<string, unknown>[] = [];
    const client = storage.table(table);
    for await (const row of client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } })) {
      rows.push(row);
    }
    return rows;
  }
});
