import { TestBroker, emulatorConfig } from './testBroker';

describe('sending and receiving through the local Service Bus broker', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await TestBroker.start(emulatorConfig({ queues: [{ name: 'basic' }] }));
  });

  afterAll(async () => {
    await broker.close();
  });

  it('delivers a sent message with its properties and completes it', async () => {
    const client = broker.client();
    const sender = client.createSender('basic');
    await sender.sendMessages({
      body: { hello: 'world' },
      messageId: 'm-1',
      correlationId: 'c-1',
      subject: 'greeting',
      applicationProperties: { n: 5, neg: -3, f: 1.5, ok: true, s: 'x' },
    });
    const receiver = client.createReceiver('basic');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(message?.body).toEqual({ hello: 'world' });
    expect(message?.messageId).toBe('m-1');
    expect(message?.correlationId).toBe('c-1');
    expect(message?.subject).toBe('greeting');
    expect(message?.applicationProperties).toEqual({ n: 5, neg: -3, f: 1.5, ok: true, s: 'x' });
    expect(message?.deliveryCount).toBe(0);
    expect(Number(message?.sequenceNumber)).toBe(1);
    expect(message?.lockToken).toMatch(/^[0-9a-f-]{36}$/);
    await receiver.completeMessage(message!);
    expect(await receiver.peekMessages(1)).toHaveLength(0);
  });
});
