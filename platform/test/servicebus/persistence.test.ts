import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServiceBusBroker, type ServiceBusBroker } from '../../src/servicebus';
import type { BrokerLogFields } from '../../src/servicebus/logger';
import { TestBroker, emulatorConfig, fastClientOptions } from './testBroker';
import { ServiceBusClient } from '@azure/service-bus';

const config = emulatorConfig({
  queues: [{ name: 'durable' }, { name: 'durable-sessions', properties: { RequiresSession: true } }],
  topics: [{ name: 'durable-topic', subscriptions: [{ name: 'sub' }] }],
});

describe('persistence across a broker restart', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'servicebus-journal-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps active, deferred, scheduled and dead-lettered messages, session state and sequence numbers', async () => {
    let broker = await startServiceBusBroker({ port: 0, config, persistenceDir: directory });
    const port = broker.port;
    const client = new ServiceBusClient(broker.connectionString, fastClientOptions);
    try {
      const sender = client.createSender('durable');
      await sender.sendMessages([
        { body: 'kept', messageId: 'a' },
        { body: 'to defer', messageId: 'b' },
        { body: 'to dead-letter', messageId: 'c' },
        { body: 'completed', messageId: 'd' },
      ]);
      const [scheduled] = await sender.scheduleMessages({ body: 'later' }, new Date(Date.now() + 3_600_000));
      const receiver = client.createReceiver('durable');
      const received = await receiver.receiveMessages(4, { maxWaitTimeInMs: 5000 });
      const byId = new Map(received.map((m) => [m.messageId, m]));
      await receiver.deferMessage(byId.get('b')!);
      await receiver.deadLetterMessage(byId.get('c')!, {
        deadLetterReason: 'Kept',
        deadLetterErrorDescription: 'kept',
      });
      await receiver.completeMessage(byId.get('d')!);
      await receiver.abandonMessage(byId.get('a')!);
      await client.createSender('durable-topic').sendMessages({ body: 'in subscription' });
      const session = await client.acceptSession('durable-sessions', 's-1');
      await session.setSessionState('remembered');
      await client.createSender('durable-sessions').sendMessages({ body: 'session message', sessionId: 's-1' });
      await session.close();

      await broker.stop();
      broker = await startServiceBusBroker({ port, config, persistenceDir: directory });

      // The client connected before the restart recovers on its next operation.
      const after = client.createReceiver('durable');
      const peeked = await after.peekMessages(10);
      expect(peeked.map((m) => [m.messageId, m.state])).toEqual([
        ['a', 'active'],
        ['b', 'deferred'],
        [expect.any(String), 'scheduled'],
      ]);
      expect(peeked[0]?.deliveryCount).toBe(1);
      expect(peeked[2]?.sequenceNumber?.toNumber()).toBe(scheduled?.toNumber());
      const [deferred] = await after.receiveDeferredMessages(byId.get('b')!.sequenceNumber!);
      expect(deferred?.body).toBe('to defer');
      await after.completeMessage(deferred!);

      const [dead] = await client.createReceiver('durable', { subQueueType: 'deadLetter' }).peekMessages(1);
      expect([dead?.messageId, dead?.deadLetterReason]).toEqual(['c', 'Kept']);
      const [inSubscription] = await client.createReceiver('durable-topic', 'sub').peekMessages(1);
      expect(inSubscription?.body).toBe('in subscription');
      const again = await client.acceptSession('durable-sessions', 's-1');
      expect(await again.getSessionState()).toBe('remembered');
      expect((await again.peekMessages(1))[0]?.body).toBe('session message');
      await again.close();

      await sender.sendMessages({ body: 'new', messageId: 'e' });
      const newest = await after.peekMessages(1, { fromSequenceNumber: scheduled!.add(1) });
      expect(newest[0]?.messageId).toBe('e');
      expect(newest[0]!.sequenceNumber!.toNumber()).toBeGreaterThan(scheduled!.toNumber());
    } finally {
      await client.close();
      await broker.stop();
    }
  });

  it('rewrites the journal as a snapshot of live messages at start-up, keeping sequence numbers', async () => {
    const journal = path.join(directory, 'servicebus.journal');
    const first = await TestBroker.start(config, { persistenceDir: directory });
    const client = first.client();
    await client.createSender('durable').sendMessages(Array.from({ length: 50 }, (_, i) => ({ body: i })));
    const receiver = client.createReceiver('durable');
    let completed = 0;
    while (completed < 40) {
      const messages = await receiver.receiveMessages(40 - completed, { maxWaitTimeInMs: 2000 });
      await Promise.all(messages.map((message) => receiver.completeMessage(message)));
      completed += messages.length;
    }
    await first.close();
    const grown = statSync(journal).size;

    const second = await TestBroker.start(config, { persistenceDir: directory });
    const compacted = statSync(journal).size;
    expect(compacted).toBeLessThan(grown / 3);
    const remaining = await second.client().createReceiver('durable').peekMessages(50);
    expect(remaining.map((m) => m.body as number)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    await second.client().createSender('durable').sendMessages({ body: 'next' });
    const [next] = await second
      .client()
      .createReceiver('durable')
      .peekMessages(1, { fromSequenceNumber: remaining[9]!.sequenceNumber!.add(1) });
    expect(next?.sequenceNumber?.toNumber()).toBe(51);
    await second.close();
  });

  it('cuts off a record torn at the end of the journal and keeps everything before it', async () => {
    const first = await TestBroker.start(config, { persistenceDir: directory });
    await first.client().createSender('durable').sendMessages({ body: 'before the tear', messageId: 'x' });
    await first.close();
    appendFileSync(path.join(directory, 'servicebus.journal'), Buffer.from([0, 0, 1, 0, 2, 3]));

    const warnings: Array<[string, BrokerLogFields | undefined]> = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      error: () => undefined,
      warn: (m: string, f?: BrokerLogFields) => warnings.push([m, f]),
    };
    const second = await TestBroker.start(config, { persistenceDir: directory, logger });
    try {
      expect(warnings.map(([message]) => message)).toContain(
        'Service Bus journal ended in a torn record; cutting it off',
      );
      const [message] = await second.client().createReceiver('durable').peekMessages(1);
      expect(message?.messageId).toBe('x');
    } finally {
      await second.close();
    }
  });

  it('keeps messages in memory only when no folder is given', async () => {
    let broker: ServiceBusBroker = await startServiceBusBroker({ port: 0, config });
    const port = broker.port;
    const client = new ServiceBusClient(broker.connectionString, fastClientOptions);
    try {
      await client.createSender('durable').sendMessages({ body: 'lost on restart' });
      await client.close();
      await broker.stop();
      broker = await startServiceBusBroker({ port, config });
      const fresh = new ServiceBusClient(broker.connectionString, fastClientOptions);
      expect(await fresh.createReceiver('durable').peekMessages(1)).toHaveLength(0);
      await fresh.close();
    } finally {
      await broker.stop();
    }
  });
});
