import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { randomUUID } from 'node:crypto';
// The thread's entry script exists only in the compiled platform, so this drives platform/dist (npm test builds it).
import { startAzuriteThread } from '../../dist/storage/azuriteThread';
import type { EmbeddedAzurite } from '../../src/storage/azurite';
import type { BlobWrite, QueueArrival } from '../../src/storage/emulatorEvents';
import { waitFor } from '../helpers/waitFor';

describe('Azurite in a worker thread', () => {
  let azurite: EmbeddedAzurite;

  beforeAll(async () => {
    azurite = await startAzuriteThread({ ports: { blob: 0, queue: 0, table: 0 } });
  });

  afterAll(() => azurite.close());

  it('serves the storage SDKs and reports queue messages to listeners in this thread', async () => {
    const arrivals: QueueArrival[] = [];
    const unsubscribe = azurite.events.onQueueMessage((arrival) => arrivals.push(arrival));
    const queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient(
      `thread-${randomUUID()}`,
    );
    await queue.create();

    await queue.sendMessage('hello');

    await waitFor('the queue event', () => arrivals.find((arrival) => arrival.queueName === queue.name));
    expect(arrivals).toContainEqual({ accountName: 'devstoreaccount1', queueName: queue.name });
    expect((await queue.receiveMessages()).receivedMessageItems[0]?.messageText).toBe('hello');
    unsubscribe();
  });

  it('reports blob writes to listeners in this thread', async () => {
    const writes: BlobWrite[] = [];
    azurite.events.onBlobWritten((write) => writes.push(write));
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      `thread-${randomUUID()}`,
    );
    await container.create();

    await container.getBlockBlobClient('a/b.txt').upload('x', 1);

    await waitFor('the blob event', () => writes.find((write) => write.container === container.containerName));
    expect(writes).toContainEqual({
      accountName: 'devstoreaccount1',
      container: container.containerName,
      blobName: 'a/b.txt',
    });
  });

  it('fails to start with the listening error when a port is taken', async () => {
    const second = startAzuriteThread({ ports: { ...azurite.ports, blob: 0, table: 0 } });

    await expect(second).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
