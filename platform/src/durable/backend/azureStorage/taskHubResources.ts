import type { Clock } from '../../../clock/clock';
import type { StorageAccount } from '../../../storage/storageAccount';
import { failedWith } from './storageErrors';
import type { TaskHubNames } from './taskHubNames';

/** Creates and deletes the storage artifacts of a task hub. */
export class TaskHubResources {
  constructor(
    private readonly storage: StorageAccount,
    private readonly names: TaskHubNames,
    private readonly clock: Clock,
  ) {}

  /** Creates tables, queues, containers and `taskhub.json` if missing. */
  async createIfNotExists(): Promise<void> {
    const { storage, names } = this;
    await Promise.all([
      ...[names.historyTable, names.instancesTable].map((table) => this.#createTable(table)),
      ...[...names.controlQueues, names.workItemQueue].map((queue) =>
        storage.queue.getQueueClient(queue).createIfNotExists(),
      ),
      ...[names.leaseContainer, names.largeMessageContainer].map((container) =>
        storage.blob.getContainerClient(container).createIfNotExists(),
      ),
    ]);
    await this.#writeTaskHubInfo();
  }

  async #createTable(name: string): Promise<void> {
    try {
      await this.storage.tables.createTable(name);
    } catch (error) {
      if (!failedWith(error, 409)) {
        throw error;
      }
    }
  }

  /** `taskhub.json` in the lease container, as the provider writes it. */
  async #writeTaskHubInfo(): Promise<void> {
    const blob = this.storage.blob.getContainerClient(this.names.leaseContainer).getBlockBlobClient('taskhub.json');
    const content = JSON.stringify({
      TaskHubName: this.names.taskHubName,
      CreatedAt: new Date(this.clock.now()).toISOString(),
      PartitionCount: this.names.controlQueues.length,
    });
    try {
      await blob.upload(content, Buffer.byteLength(content), { conditions: { ifNoneMatch: '*' } });
    } catch (error) {
      if (!failedWith(error, 409, 412)) {
        throw error;
      }
    }
  }

  /** Deletes every artifact of the hub, poison queues included. */
  async delete(): Promise<void> {
    const { storage, names } = this;
    const queues = [...names.controlQueues, names.workItemQueue];
    await Promise.all([
      ...[names.historyTable, names.instancesTable].map((table) => storage.tables.deleteTable(table)),
      ...[...queues, ...queues.map((queue) => `${queue}-poison`)].map((queue) =>
        storage.queue.getQueueClient(queue).deleteIfExists(),
      ),
      ...[names.leaseContainer, names.largeMessageContainer].map((container) =>
        storage.blob.getContainerClient(container).deleteIfExists(),
      ),
    ]);
  }

  /** Deletes the large queue-message blobs of an instance (`{instanceId}/message-…`). */
  async deleteLargeMessages(instanceId: string): Promise<void> {
    const container = this.storage.blob.getContainerClient(this.names.largeMessageContainer);
    for await (const blob of container.listBlobsFlat({ prefix: `${instanceId}/message-` })) {
      await container.getBlockBlobClient(blob.name).deleteIfExists();
    }
  }
}
