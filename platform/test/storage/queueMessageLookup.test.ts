import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { randomUUID } from 'node:crypto';
import type { EmbeddedAzurite } from '../../src/storage/azurite';
import { startTestAzurite } from '../helpers/testHost';
import { waitFor } from '../helpers/waitFor';

// The embedded Azurite answers queue receives and peeks from an index (src/storage/queueMessageLookup.ts); these
// tests pin the answers to Azure Storage's queue semantics through the real SDK.
describe('queue messages in the embedded Azurite', () => {
  let azurite: EmbeddedAzurite;
  let service: QueueServiceClient;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    service = QueueServiceClient.fromConnectionString(azurite.connectionString);
  });

  afterAll(() => azurite.close());

  async function newQueue(): Promise<QueueClient> {
    const queue = service.getQueueClient(`lookup-${randomUUID()}`);
    await queue.create();
    return queue;
  }

  const texts = (items: { messageText: string }[]) => items.map((item) => item.messageText);

  it('receives messages in send order, a batch at a time, without messages of other queues', async () => {
    const [first, second] = [await newQueue(), await newQueue()];
    for (let i = 0; i < 40; i++) {
      await first.sendMessage(`first ${i}`);
      await second.sendMessage(`second ${i}`);
    }

    const received: string[] = [];
    for (;;) {
      const batch = await first.receiveMessages({ numberOfMessages: 32 });
      if (batch.receivedMessageItems.length === 0) break;
      received.push(...texts(batch.receivedMessageItems));
    }

    expect(received).toEqual(Array.from({ length: 40 }, (_, i) => `first ${i}`));
    expect(texts((await second.peekMessages({ numberOfMessages: 3 })).peekedMessageItems)).toEqual([
      'second 0',
      'second 1',
      'second 2',
    ]);
  });

  it('hides a received message for its visibility timeout and counts each delivery', async () => {
    const queue = await newQueue();
    await queue.sendMessage('retried');
    await queue.sendMessage('later');

    const [taken] = (await queue.receiveMessages({ visibilityTimeout: 1 })).receivedMessageItems;
    expect(taken).toMatchObject({ messageText: 'retried', dequeueCount: 1 });
    expect(texts((await queue.peekMessages({ numberOfMessages: 5 })).peekedMessageItems)).toEqual(['later']);

    // Once visible again it sorts by its new visibility time, after the message that waited all along.
    const redelivered = await waitFor('the message to become visible again', async () => {
      const items = (await queue.peekMessages({ numberOfMessages: 5 })).peekedMessageItems;
      return items.length === 2 ? items : undefined;
    });
    expect(texts(redelivered)).toEqual(['later', 'retried']);
    const again = (await queue.receiveMessages({ numberOfMessages: 5 })).receivedMessageItems;
    expect(again.map((item) => [item.messageText, item.dequeueCount])).toEqual([
      ['later', 1],
      ['retried', 2],
    ]);
  });

  it('returns a message sent with a visibility delay only once the delay has passed', async () => {
    const queue = await newQueue();
    await queue.sendMessage('delayed', { visibilityTimeout: 1 });
    await queue.sendMessage('now');

    expect(texts((await queue.receiveMessages({ numberOfMessages: 5 })).receivedMessageItems)).toEqual(['now']);
    const later = await waitFor('the delayed message', async () => {
      const items = (await queue.receiveMessages()).receivedMessageItems;
      return items.length > 0 ? items : undefined;
    });
    expect(texts(later)).toEqual(['delayed']);
  });

  it('peeks without taking or counting a delivery', async () => {
    const queue = await newQueue();
    await queue.sendMessage('a');
    await queue.sendMessage('b');

    await queue.peekMessages({ numberOfMessages: 2 });
    const items = (await queue.receiveMessages({ numberOfMessages: 2 })).receivedMessageItems;

    expect(items.map((item) => [item.messageText, item.dequeueCount])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });

  it('drops a message once its time to live has passed, in every queue', async () => {
    const [touched, untouched] = [await newQueue(), await newQueue()];
    // Sent first, so it has expired by the time the touched queue's short-lived message has.
    await untouched.sendMessage('short-lived elsewhere', { messageTimeToLive: 1 });
    await touched.sendMessage('short-lived', { messageTimeToLive: 1 });
    await touched.sendMessage('long-lived');
    expect((await touched.getProperties()).approximateMessagesCount).toBe(2);

    await waitFor('the short-lived message to expire', async () => {
      const items = (await touched.peekMessages({ numberOfMessages: 5 })).peekedMessageItems;
      return items.length === 1 ? items : undefined;
    });

    expect(texts((await touched.receiveMessages({ numberOfMessages: 5 })).receivedMessageItems)).toEqual([
      'long-lived',
    ]);
    expect((await untouched.getProperties()).approximateMessagesCount).toBe(0);
  });

  it('still answers 404 for a queue that does not exist', async () => {
    const missing = service.getQueueClient(`lookup-missing-${randomUUID()}`);

    await expect(missing.receiveMessages()).rejects.toMatchObject({ statusCode: 404 });
    await expect(missing.peekMessages()).rejects.toMatchObject({ statusCode: 404 });
  });
});
