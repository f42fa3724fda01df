import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { startServiceBusBroker } from '../../src/servicebus';
import { waitFor } from '../helpers/waitFor';
import { TestBroker, emulatorConfig } from './testBroker';

describe('sending and receiving through the local Service Bus broker', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await TestBroker.start(
      emulatorConfig({ queues: [{ name: 'basic' }, { name: 'batch' }, { name: 'sizes' }, { name: 'concurrent' }] }),
    );
  });

  afterAll(async () => {
    await broker.close();
  });

  it('delivers a sent message with its properties and completes it', async () => {
    const client = broker.client();
    const sender = client.createSender('basic');
    const sentAt = Date.now();
    await sender.sendMessages({
      body: { hello: 'world' },
      messageId: 'm-1',
      correlationId: 'c-1',
      subject: 'greeting',
      contentType: 'application/json',
      replyTo: 'basic',
      to: 'someone',
      timeToLive: 120_000,
      applicationProperties: { n: 5, neg: -3, f: 1.5, ok: true, s: 'x', when: new Date(1_700_000_000_000) },
    });
    const receiver = client.createReceiver('basic');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(message).toMatchObject({
      body: { hello: 'world' },
      messageId: 'm-1',
      correlationId: 'c-1',
      subject: 'greeting',
      contentType: 'application/json',
      replyTo: 'basic',
      to: 'someone',
      timeToLive: 120_000,
      deliveryCount: 0,
      state: 'active',
    });
    // A Date application property comes back as epoch milliseconds (the SDK's default date conversion).
    expect(message?.applicationProperties).toEqual({
      n: 5,
      neg: -3,
      f: 1.5,
      ok: true,
      s: 'x',
      when: 1_700_000_000_000,
    });
    expect(message?.sequenceNumber?.toNumber()).toBe(1);
    expect(message?.lockToken).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(message!.enqueuedTimeUtc!.getTime()).toBeGreaterThanOrEqual(sentAt - 5);
    expect(message!.lockedUntilUtc!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    await receiver.completeMessage(message!);
    expect(await receiver.peekMessages(1)).toHaveLength(0);
  });

  it('sends arrays and message batches, and receives them in receive-and-delete mode', async () => {
    const client = broker.client();
    const sender = client.createSender('batch');
    await sender.sendMessages([{ body: 1 }, { body: 2 }, { body: 3 }]);
    const batch = await sender.createMessageBatch();
    expect(batch.maxSizeInBytes).toBe(262_144);
    for (const body of [4, 5]) {
      expect(batch.tryAddMessage({ body })).toBe(true);
    }
    await sender.sendMessages(batch);

    const receiver = client.createReceiver('batch', { receiveMode: 'receiveAndDelete' });
    const bodies: unknown[] = [];
    while (bodies.length < 5) {
      const messages = await receiver.receiveMessages(5, { maxWaitTimeInMs: 2000 });
      bodies.push(...messages.map((m) => m.body as unknown));
    }
    expect(bodies).toEqual([1, 2, 3, 4, 5]);
    expect(await receiver.peekMessages(1)).toHaveLength(0);
  });

  it('limits batches to max_message_size and refuses single messages over 256 KB', async () => {
    const client = broker.client({ retryOptions: { maxRetries: 0, timeoutInMs: 10_000 } });
    const sender = client.createSender('sizes');
    const batch = await sender.createMessageBatch();
    expect(batch.tryAddMessage({ body: Buffer.alloc(200 * 1024) })).toBe(true);
    expect(batch.tryAddMessage({ body: Buffer.alloc(100 * 1024) })).toBe(false);

    await sender.sendMessages({ body: Buffer.alloc(200 * 1024, 1) });
    await expect(sender.sendMessages({ body: Buffer.alloc(300 * 1024) })).rejects.toMatchObject({
      code: 'MessageSizeExceeded',
    });
    const receiver = client.createReceiver('sizes', { receiveMode: 'receiveAndDelete' });
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect((message?.body as Buffer).length).toBe(200 * 1024);
    expect(await receiver.peekMessages(1)).toHaveLength(0);
  });

  it('hands messages to a subscriber with concurrent handlers and auto-completes them', async () => {
    const client = broker.client();
    await client.createSender('concurrent').sendMessages(Array.from({ length: 50 }, (_, i) => ({ body: i })));
    const receiver = client.createReceiver('concurrent');
    const seen = new Set<number>();
    await new Promise<void>((resolve, reject) => {
      const subscription = receiver.subscribe(
        {
          processMessage: (message: ServiceBusReceivedMessage) => {
            seen.add(message.body as number);
            if (seen.size === 50) {
              resolve();
            }
            return Promise.resolve();
          },
          processError: ({ error }) => {
            reject(error);
            return Promise.resolve();
          },
        },
        { maxConcurrentCalls: 10 },
      );
      void subscription;
    });
    expect(seen.size).toBe(50);
    const checker = client.createReceiver('concurrent');
    await waitFor('every message to be auto-completed', async () => (await checker.peekMessages(1)).length === 0);
    await receiver.close();
  });

  it('fails with MessagingEntityNotFound for an undeclared entity', async () => {
    const client = broker.client({ retryOptions: { maxRetries: 0, timeoutInMs: 5000 } });
    await expect(client.createSender('nope').sendMessages({ body: 'x' })).rejects.toMatchObject({
      code: 'MessagingEntityNotFound',
    });
    await expect(client.createReceiver('nope').receiveMessages(1, { maxWaitTimeInMs: 1000 })).rejects.toMatchObject({
      code: 'MessagingEntityNotFound',
    });
  });

  it('fails with UnauthorizedAccess when the SAS key is wrong', async () => {
    const wrong = broker.connectionString.replace('SAS_KEY_VALUE', 'not-the-key');
    const client = new ServiceBusClient(wrong, { retryOptions: { maxRetries: 0, timeoutInMs: 5000 } });
    try {
      await expect(client.createSender('basic').sendMessages({ body: 'x' })).rejects.toMatchObject({
        code: 'UnauthorizedAccess',
      });
    } finally {
      await client.close();
    }
  });

  it('refuses to start on a port already in use, saying so', async () => {
    await expect(startServiceBusBroker({ port: broker.broker.port })).rejects.toThrow(
      new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${broker.broker.port}: the port is in use`),
    );
  });

  it("offers a connection string in the official emulator's form", () => {
    expect(broker.connectionString).toBe(
      `Endpoint=sb://localhost:${broker.broker.port};SharedAccessKeyName=RootManageSharedAccessKey;` +
        'SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;',
    );
  });
});
