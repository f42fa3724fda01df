import { isServiceBusError } from '@azure/service-bus';
import { TestBroker, emulatorConfig } from './testBroker';

describe('settling peek-locked messages', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await TestBroker.start(
      emulatorConfig({
        queues: [
          { name: 'abandon', properties: { MaxDeliveryCount: 10 } },
          { name: 'defer' },
          { name: 'dead-letter' },
          { name: 'max-delivery', properties: { MaxDeliveryCount: 3 } },
          { name: 'stale' },
        ],
      }),
    );
  });

  afterAll(async () => {
    await broker.close();
  });

  it('abandon returns the message with a new lock, deliveryCount + 1 and the modified properties', async () => {
    const client = broker.client();
    await client
      .createSender('abandon')
      .sendMessages({ body: 'a', messageId: 'abandon-1', applicationProperties: { k: 1 } });
    const receiver = client.createReceiver('abandon');
    const [first] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    await receiver.abandonMessage(first!, { reason: 'busy', k: 2 });

    const [second] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(second?.messageId).toBe('abandon-1');
    expect(second?.deliveryCount).toBe(1);
    expect(second?.lockToken).not.toBe(first?.lockToken);
    expect(second?.applicationProperties).toEqual({ k: 2, reason: 'busy' });
    // The SDK refuses to settle the stale copy itself: it was settled by the abandon.
    await expect(receiver.completeMessage(first!)).rejects.toThrow(/already settled/);
    await receiver.completeMessage(second!);
  });

  it('defer sets a message aside until it is received by sequence number, then counts one delivery', async () => {
    const client = broker.client();
    await client.createSender('defer').sendMessages({ body: 'd', messageId: 'defer-1' });
    const receiver = client.createReceiver('defer');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    await receiver.deferMessage(message!);

    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toHaveLength(0);
    const [peeked] = await receiver.peekMessages(1, { fromSequenceNumber: message!.sequenceNumber! });
    expect(peeked?.state).toBe('deferred');

    const [deferred] = await receiver.receiveDeferredMessages(message!.sequenceNumber!);
    expect(deferred?.messageId).toBe('defer-1');
    expect(deferred?.state).toBe('deferred');
    expect(deferred?.deliveryCount).toBe(1);
    await receiver.completeMessage(deferred!);
    expect(await receiver.peekMessages(1, { fromSequenceNumber: message!.sequenceNumber! })).toHaveLength(0);
  });

  it('dead-letter moves the message to the dead-letter queue with reason and description', async () => {
    const client = broker.client();
    await client
      .createSender('dead-letter')
      .sendMessages({ body: 'x', messageId: 'dl-1', applicationProperties: { a: 'b' } });
    const receiver = client.createReceiver('dead-letter');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    await receiver.deadLetterMessage(message!, {
      deadLetterReason: 'Invalid',
      deadLetterErrorDescription: 'bad input',
      extra: 7,
    });

    const dlqReceiver = client.createReceiver('dead-letter', { subQueueType: 'deadLetter' });
    const [dead] = await dlqReceiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(dead?.messageId).toBe('dl-1');
    expect(dead?.deadLetterReason).toBe('Invalid');
    expect(dead?.deadLetterErrorDescription).toBe('bad input');
    expect(dead?.deadLetterSource).toBe('dead-letter');
    expect(dead?.applicationProperties).toMatchObject({ a: 'b', extra: 7 });
    await dlqReceiver.completeMessage(dead!);
    expect(await dlqReceiver.peekMessages(1)).toHaveLength(0);
  });

  it('a message settled after its receiver closed is settled through $management', async () => {
    const client = broker.client();
    await client.createSender('dead-letter').sendMessages({ body: 'z', messageId: 'dl-mgmt' });
    const first = client.createReceiver('dead-letter');
    const [message] = await first.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    await first.close();

    await client
      .createReceiver('dead-letter')
      .deadLetterMessage(message!, { deadLetterReason: 'Closed', deadLetterErrorDescription: 'closed' });
    const dlq = client.createReceiver('dead-letter', { subQueueType: 'deadLetter', receiveMode: 'receiveAndDelete' });
    const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(dead?.messageId).toBe('dl-mgmt');
    expect(dead?.deadLetterReason).toBe('Closed');
  });

  it('dead-lettering through the receiving link resolves without error', async () => {
    const client = broker.client();
    await client.createSender('dead-letter').sendMessages({ body: 'y', messageId: 'dl-2' });
    const receiver = client.createReceiver('dead-letter');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    await receiver.deadLetterMessage(message!, { deadLetterReason: 'Poison', deadLetterErrorDescription: 'poison' });
    const dlq = client.createReceiver('dead-letter', { subQueueType: 'deadLetter', receiveMode: 'receiveAndDelete' });
    const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(dead?.messageId).toBe('dl-2');
  });

  it('dead-letters a message after MaxDeliveryCount abandons', async () => {
    const client = broker.client();
    await client.createSender('max-delivery').sendMessages({ body: 'm', messageId: 'max-1' });
    const receiver = client.createReceiver('max-delivery');
    const counts: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
      counts.push(message!.deliveryCount!);
      await receiver.abandonMessage(message!);
    }
    expect(counts).toEqual([0, 1, 2]);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toHaveLength(0);
    const dlq = client.createReceiver('max-delivery', { subQueueType: 'deadLetter' });
    const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(dead?.messageId).toBe('max-1');
    expect(dead?.deadLetterReason).toBe('MaxDeliveryCountExceeded');
    await dlq.completeMessage(dead!);
  });

  it('gives a message sent without an id a broker-assigned one, and the SDK refuses to settle it twice', async () => {
    const client = broker.client();
    await client.createSender('stale').sendMessages({ body: 's' });
    const receiver = client.createReceiver('stale');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(message?.messageId).toMatch(/^[0-9a-f]{32}$/);
    await receiver.completeMessage(message!);
    const error = await receiver.completeMessage(message!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isServiceBusError(error)).toBe(false);
  });
});
