import type { ServiceBusClient, ServiceBusSender } from '@azure/service-bus';
import type { BrokerLogFields, BrokerLogger } from '../../src/servicebus/logger';
import { TestBroker, emulatorConfig } from './testBroker';

async function sendInBatches(sender: ServiceBusSender, count: number, body: (i: number) => unknown): Promise<void> {
  let batch = await sender.createMessageBatch();
  for (let i = 0; i < count; i++) {
    if (!batch.tryAddMessage({ body: body(i) })) {
      await sender.sendMessages(batch);
      batch = await sender.createMessageBatch();
      batch.tryAddMessage({ body: body(i) });
    }
  }
  await sender.sendMessages(batch);
}

describe('the broker under load', () => {
  let broker: TestBroker;
  const attaches: BrokerLogFields[] = [];
  const logger: BrokerLogger = {
    debug: (message, fields) => {
      if (message === 'Service Bus link attached' && fields) {
        attaches.push(fields);
      }
    },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };

  beforeAll(async () => {
    broker = await TestBroker.start(
      emulatorConfig({
        queues: [{ name: 'many-clients' }, { name: 'deep' }, { name: 'single-link' }, { name: 'drain' }],
      }),
      { logger },
    );
  });

  afterAll(async () => {
    await broker.close();
  });

  it('serves 100 concurrent clients sending and receiving without errors', async () => {
    const clients: ServiceBusClient[] = Array.from({ length: 100 }, () => broker.client());
    await Promise.all(
      clients.map((client, c) =>
        client.createSender('many-clients').sendMessages(Array.from({ length: 10 }, (_, i) => ({ body: c * 10 + i }))),
      ),
    );
    const received = new Set<number>();
    await Promise.all(
      clients.map(async (client) => {
        const receiver = client.createReceiver('many-clients');
        while (received.size < 1000) {
          const messages = await receiver.receiveMessages(10, { maxWaitTimeInMs: 200 });
          for (const message of messages) {
            expect(received.has(message.body as number)).toBe(false);
            received.add(message.body as number);
            await receiver.completeMessage(message);
          }
        }
        await receiver.close();
      }),
    );
    expect(received.size).toBe(1000);
  });

  it('holds 100,000 queued messages and delivers from them', async () => {
    const client = broker.client();
    await sendInBatches(client.createSender('deep'), 100_000, (i) => i);
    const receiver = client.createReceiver('deep');
    const [last] = await receiver.peekMessages(1, {
      fromSequenceNumber: (await receiver.peekMessages(1))[0]!.sequenceNumber!.add(99_999),
    });
    expect(last?.body).toBe(99_999);
    const first = await receiver.receiveMessages(500, { maxWaitTimeInMs: 5000 });
    expect(first[0]?.body).toBe(0);
    await Promise.all(first.map((message) => receiver.completeMessage(message)));
  });

  it('settles more than 2048 peek-locked deliveries on one receiver link', async () => {
    const client = broker.client();
    await sendInBatches(client.createSender('single-link'), 3000, (i) => i);
    const receiver = client.createReceiver('single-link');
    let settled = 0;
    while (settled < 3000) {
      const messages = await receiver.receiveMessages(500, { maxWaitTimeInMs: 2000 });
      await Promise.all(messages.map((message) => receiver.completeMessage(message)));
      settled += messages.length;
    }
    expect(settled).toBe(3000);
    expect(await receiver.peekMessages(1)).toHaveLength(0);
  });

  it('answers every drain, so short receive windows under a flood keep one link', async () => {
    const client = broker.client();
    const sender = client.createSender('drain');
    const receiver = client.createReceiver('drain', { receiveMode: 'receiveAndDelete' });
    const producing = sendInBatches(sender, 5000, (i) => i);
    let received = 0;
    while (received < 5000) {
      received += (await receiver.receiveMessages(50, { maxWaitTimeInMs: 5 })).length;
    }
    await producing;
    expect(received).toBe(5000);
    const receiverAttaches = attaches.filter((fields) => fields.entity === 'drain' && fields.role === 'receiver');
    expect(receiverAttaches).toHaveLength(1);
  });
});
