import { waitFor } from '../helpers/waitFor';
import { TestBroker, emulatorConfig } from './testBroker';

describe('scheduled messages, expiry, duplicate detection and peek', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await TestBroker.start(
      emulatorConfig({
        queues: [
          { name: 'scheduled' },
          { name: 'ttl-drop' },
          { name: 'ttl-dead-letter', properties: { DeadLetteringOnMessageExpiration: true } },
          { name: 'short-default-ttl', properties: { DefaultMessageTimeToLive: 'PT0.5S' } },
          {
            name: 'dedupe',
            properties: { RequiresDuplicateDetection: true, DuplicateDetectionHistoryTimeWindow: 'PT1S' },
          },
          { name: 'peek' },
        ],
      }),
    );
  });

  afterAll(async () => {
    await broker.close();
  });

  it('a scheduled message is peeked as scheduled and received only once due', async () => {
    const client = broker.client();
    const sender = client.createSender('scheduled');
    const due = new Date(Date.now() + 1000);
    const [sequenceNumber] = await sender.scheduleMessages({ body: 'later', messageId: 'sched-1' }, due);
    const receiver = client.createReceiver('scheduled', { receiveMode: 'receiveAndDelete' });

    const [peeked] = await receiver.peekMessages(1);
    expect(peeked?.state).toBe('scheduled');
    expect(peeked?.sequenceNumber?.toNumber()).toBe(sequenceNumber?.toNumber());
    expect(peeked?.scheduledEnqueueTimeUtc?.getTime()).toBe(due.getTime());
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 200 })).toHaveLength(0);

    const received = await waitFor('the scheduled message', async () => {
      const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 500 });
      return message;
    });
    expect(received.messageId).toBe('sched-1');
    expect(Date.now()).toBeGreaterThanOrEqual(due.getTime());
  });

  it('a cancelled scheduled message never arrives', async () => {
    const client = broker.client();
    const sender = client.createSender('scheduled');
    const [sequenceNumber] = await sender.scheduleMessages({ body: 'never' }, new Date(Date.now() + 500));
    await sender.cancelScheduledMessages(sequenceNumber!);
    const receiver = client.createReceiver('scheduled');
    expect(await receiver.peekMessages(10)).toHaveLength(0);
  });

  it('drops an expired message, or dead-letters it when DeadLetteringOnMessageExpiration is set', async () => {
    const client = broker.client();
    await client.createSender('ttl-drop').sendMessages({ body: 'gone', timeToLive: 300 });
    await client.createSender('ttl-dead-letter').sendMessages({ body: 'dead', messageId: 'ttl-1', timeToLive: 300 });
    await client.createSender('short-default-ttl').sendMessages({ body: 'default ttl' });

    const dlq = client.createReceiver('ttl-dead-letter', {
      subQueueType: 'deadLetter',
      receiveMode: 'receiveAndDelete',
    });
    const dead = await waitFor('the expired message in the dead-letter queue', async () => {
      const [message] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 500 });
      return message;
    });
    expect(dead.messageId).toBe('ttl-1');
    expect(dead.deadLetterReason).toBe('TTLExpiredException');
    expect(await client.createReceiver('ttl-drop').peekMessages(1)).toHaveLength(0);
    expect(await client.createReceiver('ttl-drop', { subQueueType: 'deadLetter' }).peekMessages(1)).toHaveLength(0);
    await waitFor('the default TTL to expire the message', async () => {
      return (await client.createReceiver('short-default-ttl').peekMessages(1)).length === 0;
    });
  });

  it('reports the expiry time as enqueued time plus time to live', async () => {
    const client = broker.client();
    await client.createSender('peek').sendMessages({ body: 't', timeToLive: 60_000 });
    const [message] = await client.createReceiver('peek').peekMessages(1);
    expect(message!.expiresAtUtc!.getTime() - message!.enqueuedTimeUtc!.getTime()).toBe(60_000);
    expect(message!.timeToLive).toBe(60_000);
    await client.createReceiver('peek', { receiveMode: 'receiveAndDelete' }).receiveMessages(1);
  });

  it('drops a duplicate message id inside the window and accepts it after the window', async () => {
    const client = broker.client();
    const sender = client.createSender('dedupe');
    await sender.sendMessages({ body: 1, messageId: 'same' });
    await sender.sendMessages({ body: 2, messageId: 'same' });
    await sender.sendMessages({ body: 3, messageId: 'other' });
    const receiver = client.createReceiver('dedupe', { receiveMode: 'receiveAndDelete' });
    const peeked = await receiver.peekMessages(10);
    expect(peeked.map((m) => m.body as unknown)).toEqual([1, 3]);

    await waitFor(
      'the duplicate detection window to pass',
      () => Date.now() > peeked[0]!.enqueuedTimeUtc!.getTime() + 1100,
    );
    await sender.sendMessages({ body: 4, messageId: 'same' });
    const bodies = await receiver.receiveMessages(10, { maxWaitTimeInMs: 1000 });
    expect(bodies.map((m) => m.body as unknown)).toEqual([1, 3, 4]);
  });

  it('peeks in sequence order, continuing after the last peeked message or from a sequence number', async () => {
    const client = broker.client();
    await client.createSender('peek').sendMessages([1, 2, 3, 4, 5].map((n) => ({ body: n })));
    const receiver = client.createReceiver('peek');
    const first = await receiver.peekMessages(2);
    const next = await receiver.peekMessages(2);
    expect([...first, ...next].map((m) => m.body as unknown)).toEqual([1, 2, 3, 4]);
    const from = await receiver.peekMessages(10, { fromSequenceNumber: first[1]!.sequenceNumber! });
    expect(from.map((m) => m.body as unknown)).toEqual([2, 3, 4, 5]);
    expect(from.every((m) => m.lockToken === undefined)).toBe(true);
  });
});
