import type { StorageAccount } from '../../../storage/storageAccount';
import { HistoryConflictError, WorkItemLostError } from '../errors';
import type {
  ActivityWorkItem,
  HistoryEvent,
  InstancePage,
  InstanceQuery,
  InstanceState,
  OrchestrationCheckpoint,
  OrchestrationWorkItem,
  PurgeFilter,
  TaskHubBackend,
  TaskHubBackendOptions,
  TaskMessage,
} from '../types';
import { EventType, terminalStatuses } from '../types';
import { defaultLeaseTimings, PartitionLeaseManager, type LeaseTimings } from './leases/partitionLeaseManager';
import { LargePayloadStore } from './largePayloads';
import { ControlPartitions } from './controlPartitions';
import { OrchestrationSessions, type SessionBatch, type SessionKind } from './messaging/orchestrationSessions';
import { TaskHubQueue, type DequeuedMessage } from './messaging/taskHubQueue';
import { WorkItemPoller } from './messaging/workItemPoller';
import { failedWith } from './storageErrors';
import { taskHubNames, type TaskHubNames } from './taskHubNames';
import { HistoryStore, type LoadedHistory } from './tracking/historyStore';
import { repairedInstance } from './tracking/instanceRepair';
import { InstanceStore } from './tracking/instanceStore';
import { TaskHubResources } from './taskHubResources';
import { ActivityWorkItems } from './activityWorkItems';
import { withTimeout, mapLimited } from './async';

/** Settings of the Azure Storage backend beyond the common ones. */
export interface AzureStorageBackendOptions extends TaskHubBackendOptions {
  /** The storage account holding the task hub (the `storageProvider.connectionName` connection). */
  readonly storage: StorageAccount;
  /** Partition lease timing; the provider's 30 s / 10 s / 10 s by default. Tests shorten them. */
  readonly leaseTimings?: Partial<LeaseTimings>;
  /** `storageProvider.controlQueueBufferThreshold`: buffered control messages per partition before pausing. */
  readonly controlQueueBufferThreshold?: number;
  /** Longest queue visibility delay before a message is chained; the queue's 7-day limit. Tests shorten it. */
  readonly maxQueueDelaySeconds?: number;
}

interface LockedOrchestration {
  readonly batch: SessionBatch;
  readonly loaded: LoadedHistory;
  settled: boolean;
}

// Sends and deletes of one checkpoint run this many at a time (a fan-out schedules thousands).
const storageConcurrency = 64;

/**
 * The task hub in Azure Storage (Azurite locally), laid out like DurableTask.AzureStorage so Storage Explorer
 * shows a familiar hub: `<Hub>Instances` and `<Hub>History` tables, control queues partitioned by instance id,
 * a work-item queue, blob partition leases shared by host processes, and large payloads in blobs. Checkpoints
 * follow the provider: send outbound messages, append history under the sentinel ETag, upsert the instance row,
 * delete the trigger messages last.
 */
export class AzureStorageTaskHubBackend implements TaskHubBackend {
  readonly kind = 'azureStorage';
  readonly names: TaskHubNames;
  readonly #options: AzureStorageBackendOptions;
  readonly #resources: TaskHubResources;
  readonly #history: HistoryStore;
  readonly #instances: InstanceStore;
  readonly #workItems: TaskHubQueue;
  readonly #sessions = new OrchestrationSessions();
  readonly #partitions: ControlPartitions;
  readonly #workPoller: WorkItemPoller;
  readonly #leases: PartitionLeaseManager;
  readonly #locked = new WeakMap<OrchestrationWorkItem, LockedOrchestration>();
  readonly #activities: ActivityWorkItems;
  readonly #stopping = new AbortController();
  #created = false;

  constructor(options: AzureStorageBackendOptions) {
    this.#options = options;
    this.names = taskHubNames(options.hubName, options.partitionCount);
    const { storage, clock } = options;
    this.#resources = new TaskHubResources(storage, this.names, clock);
    const payloads = new LargePayloadStore(storage.blob.getContainerClient(this.names.largeMessageContainer));
    this.#history = new HistoryStore(storage.table(this.names.historyTable), payloads, clock);
    this.#instances = new InstanceStore(storage.table(this.names.instancesTable), payloads, options.hubName, () =>
      clock.now(),
    );
    const queue = (name: string) =>
      new TaskHubQueue(
        storage.queue.getQueueClient(name),
        storage.queue.getQueueClient(`${name}-poison`),
        payloads,
        clock,
        options.maxQueueDelaySeconds,
      );
    this.#partitions = new ControlPartitions({
      queues: this.names.controlQueues.map(queue),
      sessions: this.#sessions,
      clock,
      logger: options.logger,
      batchSize: options.controlQueueBatchSize,
      visibilityTimeoutMs: options.controlQueueVisibilityTimeoutMs,
      maxPollingIntervalMs: options.maxPollingIntervalMs,
      bufferThreshold: options.controlQueueBufferThreshold ?? 256,
      takeoverGraceMs: (options.leaseTimings?.renewIntervalMs ?? defaultLeaseTimings.renewIntervalMs) + 1_000,
      stopping: this.#stopping.signal,
      owns: (partition) => this.#leases.owns(partition),
      // Another host may have checkpointed this partition's instances since this host last held it.
      onStarted: () => {
        this.#history.forget();
        this.#instances.forget();
      },
    });
    this.#workItems = queue(this.names.workItemQueue);
    this.#workPoller = new WorkItemPoller({
      queue: this.#workItems,
      clock,
      logger: options.logger,
      visibilityTimeoutMs: options.workItemVisibilityTimeoutMs,
      maxPollingIntervalMs: options.maxPollingIntervalMs,
      prefetch: 32,
    });
    this.#activities = new ActivityWorkItems({
      queue: this.#workItems,
      poller: this.#workPoller,
      history: this.#history,
      clock,
      maxPollingIntervalMs: options.maxPollingIntervalMs,
      visibilityTimeoutMs: options.workItemVisibilityTimeoutMs,
      stopping: this.#stopping.signal,
      ownsInstance: (instanceId) => this.#partitions.isActiveFor(instanceId),
      sendResponse: (response, sender) => this.#sendToInstance(response, sender),
    });
    this.#leases = new PartitionLeaseManager({
      container: storage.blob.getContainerClient(this.names.leaseContainer),
      partitionIds: this.names.controlQueues,
      workerId: options.workerId,
      timings: { ...defaultLeaseTimings, ...options.leaseTimings },
      clock,
      logger: options.logger,
      onAcquired: (partition, stolen) => this.#partitions.acquired(partition, stolen),
      onLost: (partition) => this.#partitionLost(partition),
    });
  }

  get hubName(): string {
    return this.names.taskHubName;
  }

  get partitionCount(): number {
    return this.names.controlQueues.length;
  }

  /** Partitions this host process owns now (for tests and diagnostics). */
  get ownedPartitions(): number[] {
    return this.#leases.ownedPartitions;
  }

  async createIfNotExists(): Promise<void> {
    await this.#resources.createIfNotExists();
    this.#created = true;
  }

  async deleteTaskHub(): Promise<void> {
    await this.#resources.delete();
    this.#history.forget();
    this.#created = false;
  }

  async start(): Promise<void> {
    if (!this.#created) {
      await this.createIfNotExists();
    }
    this.#workPoller.start();
    await this.#leases.start();
    this.#options.logger.info('Task hub started', {
      taskHub: this.hubName,
      backend: this.kind,
      partitions: this.ownedPartitions.join(',') || 'none yet',
    });
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#sessions.close();
    await this.#leases.stop();
    await this.#workPoller.stop();
    await this.#activities.releaseBuffered();
  }

  async #partitionLost(partition: number): Promise<void> {
    await this.#partitions.lost(partition);
    this.#history.forget();
  }

  // --- orchestrations -------------------------------------------------------------------------------------

  lockNextOrchestrationWorkItem(signal: AbortSignal): Promise<OrchestrationWorkItem | undefined> {
    return this.#lockNext(signal, 'orchestration');
  }

  lockNextEntityWorkItem(signal: AbortSignal): Promise<OrchestrationWorkItem | undefined> {
    return this.#lockNext(signal, 'entity');
  }

  async #lockNext(signal: AbortSignal, kind: SessionKind): Promise<OrchestrationWorkItem | undefined> {
    const batch = await withTimeout(
      this.#options.clock,
      this.#options.maxPollingIntervalMs,
      [signal, this.#stopping.signal],
      (s) => this.#sessions.take(s, kind),
    );
    if (!batch) {
      return undefined;
    }
    try {
      const [loaded, row] = await Promise.all([this.#history.load(batch.instanceId), this.#instanceFor(batch)]);
      const repaired = repairedInstance(loaded.events, row, loaded.executionId);
      if (repaired) {
        await this.#instances.upsert(repaired);
        this.#options.logger.info('Instance row repaired from history', {
          instanceId: batch.instanceId,
          runtimeStatus: repaired.runtimeStatus,
        });
      }
      const instance = repaired ?? row;
      const workItem: OrchestrationWorkItem = {
        instanceId: batch.instanceId,
        messages: batch.messages.map((m) => ({
          messageId: m.messageId,
          dequeueCount: m.dequeueCount,
          message: m.message,
        })),
        history: loaded.events,
        instance,
        etag: loaded.etag,
      };
      this.#locked.set(workItem, { batch, loaded, settled: false });
      return workItem;
    } catch (error) {
      await this.#release(batch, batch.messages, 0);
      throw error;
    }
  }

  /**
   * The instance row for a work item: as this host last wrote it, unless a client may have written it since (a
   * start or restart brings an ExecutionStarted message), or this host never saw it.
   */
  async #instanceFor(batch: SessionBatch): Promise<InstanceState | undefined> {
    const started = batch.messages.some((m) => m.message.event.EventType === EventType.ExecutionStarted);
    const cached = started ? undefined : this.#instances.cached(batch.instanceId);
    return cached ?? (await this.#instances.get(batch.instanceId));
  }

  async completeOrchestrationWorkItem(
    workItem: OrchestrationWorkItem,
    checkpoint: OrchestrationCheckpoint,
  ): Promise<void> {
    const locked = this.#lockedItem(workItem);

    await this.#sendAll(checkpoint.activityMessages, checkpoint.orchestrationMessages, workItem.instanceId);

    try {
      await this.#history.write({
        instanceId: workItem.instanceId,
        executionId: checkpoint.history.executionId,
        loaded: locked.loaded,
        events: checkpoint.history.events,
        replace: checkpoint.history.replace,
      });
    } catch (error) {
      if (error instanceof HistoryConflictError) {
        this.#instances.forget(workItem.instanceId);
        locked.settled = true;
        await this.#release(locked.batch, locked.batch.messages, 0);
      }
      throw error;
    }

    if (checkpoint.instance) {
      await this.#instances.upsert(checkpoint.instance);
      if (terminalStatuses.includes(checkpoint.instance.runtimeStatus)) {
        this.#history.forget(workItem.instanceId);
      }
    }

    // The checkpoint is in: from here on only trigger messages are cleaned up, and the instance must be unlocked
    // whatever happens (a message left behind is redelivered and dropped as a duplicate by the engine).
    locked.settled = true;
    const consumed = new Set(checkpoint.consumedMessageIds);
    const parked = new Set(checkpoint.parkedMessageIds?.filter((id) => !consumed.has(id)));
    const queue = this.#controlQueue(locked.batch.partition);
    const unparked = locked.batch.messages.filter((m) => !parked.has(m.messageId));
    try {
      await mapLimited(
        locked.batch.messages.filter((m) => consumed.has(m.messageId)),
        storageConcurrency,
        (m) => queue.deleteIfHeld(m),
      );
    } finally {
      // Parked messages stay invisible and held by the sessions until the instance's next message.
      const { instanceId, partition, messages } = locked.batch;
      this.#sessions.park(
        instanceId,
        partition,
        messages.filter((m) => parked.has(m.messageId)),
      );
      const unconsumed = unparked.filter((m) => !consumed.has(m.messageId));
      await this.#release(locked.batch, unconsumed, checkpoint.releaseDelayMs ?? 0, unparked);
    }
  }

  async abandonOrchestrationWorkItem(workItem: OrchestrationWorkItem, delayMs = 0): Promise<void> {
    const locked = this.#locked.get(workItem);
    if (!locked || locked.settled) {
      return;
    }
    locked.settled = true;
    await this.#release(locked.batch, locked.batch.messages, delayMs);
  }

  #lockedItem(workItem: OrchestrationWorkItem): LockedOrchestration {
    const locked = this.#locked.get(workItem);
    if (!locked || locked.settled) {
      throw new WorkItemLostError(workItem.instanceId, 'it was already completed or abandoned');
    }
    return locked;
  }

  /** Makes messages visible again after `delayMs` and unlocks the instance (forgetting `forget` messages). */
  async #release(
    batch: SessionBatch,
    messages: readonly DequeuedMessage[],
    delayMs: number,
    forget: readonly DequeuedMessage[] = messages,
  ): Promise<void> {
    const queue = this.#controlQueue(batch.partition);
    try {
      await mapLimited(messages, storageConcurrency, async (message) => {
        try {
          await queue.release(message, delayMs);
        } catch (error) {
          // The pop receipt went stale (visibility lapsed): the message is visible again anyway.
          if (!failedWith(error, 400, 404)) {
            throw error;
          }
        }
      });
    } finally {
      this.#sessions.unlock(batch.instanceId, forget);
    }
  }

  // --- activities -----------------------------------------------------------------------------------------

  lockNextActivityWorkItem(signal: AbortSignal): Promise<ActivityWorkItem | undefined> {
    return this.#activities.lockNext(signal);
  }

  renewActivityWorkItem(workItem: ActivityWorkItem): Promise<void> {
    return this.#activities.renew(workItem);
  }

  completeActivityWorkItem(workItem: ActivityWorkItem, response: TaskMessage): Promise<void> {
    return this.#activities.complete(workItem, response);
  }

  abandonActivityWorkItem(workItem: ActivityWorkItem, delayMs = 0): Promise<void> {
    return this.#activities.abandon(workItem, delayMs);
  }

  // --- sending --------------------------------------------------------------------------------------------

  async #sendAll(
    activities: readonly TaskMessage[],
    orchestrations: readonly TaskMessage[],
    sender?: string,
  ): Promise<void> {
    await Promise.all([
      mapLimited(activities, storageConcurrency, (message) => this.#activities.send(message, sender)),
      mapLimited(orchestrations, storageConcurrency, (message) => this.#sendToInstance(message, sender)),
    ]);
  }

  #sendToInstance(message: TaskMessage, sender?: string): Promise<void> {
    return this.#partitions.send(message, sender);
  }

  #controlQueue(partition: number): TaskHubQueue {
    return this.#partitions.queue(partition);
  }

  // --- client operations ----------------------------------------------------------------------------------

  async createInstance(instance: InstanceState, startMessage: TaskMessage): Promise<void> {
    await this.#instances.upsert(instance);
    await this.#sendToInstance(startMessage);
  }

  async sendOrchestrationMessages(messages: readonly TaskMessage[]): Promise<void> {
    await mapLimited(messages, storageConcurrency, (message) => this.#sendToInstance(message));
  }

  getInstance(instanceId: string): Promise<InstanceState | undefined> {
    return this.#instances.get(instanceId);
  }

  async getHistory(instanceId: string): Promise<HistoryEvent[]> {
    return (await this.#history.read(instanceId)).events;
  }

  queryInstances(query: InstanceQuery): Promise<InstancePage> {
    return this.#instances.query(query);
  }

  async purgeInstance(instanceId: string): Promise<boolean> {
    const [row, history] = await Promise.all([
      this.#instances.delete(instanceId),
      this.#history.purge(instanceId),
      this.#resources.deleteLargeMessages(instanceId),
    ]);
    return row || history;
  }

  async purgeInstances(filter: PurgeFilter): Promise<number> {
    const ids = await this.#instances.idsMatching(filter);
    let deleted = 0;
    await mapLimited(ids, 16, async (id) => {
      if (await this.purgeInstance(id)) {
        deleted++;
      }
    });
    return deleted;
  }
}
