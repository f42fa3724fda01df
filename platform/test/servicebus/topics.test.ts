import type { ServiceBusClient } from '@azure/service-bus';
import { TestBroker, emulatorConfig } from './testBroker';

function sqlRule(name: string, expression: string): object {
  return { Name: name, Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: expression } } };
}

describe('topics and subscriptions', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await TestBroker.start(
      emulatorConfig({
        queues: [
          { name: 'forwarded' },
          { name: 'dead-letters-here' },
          { name: 'loop-a', properties: { ForwardTo: 'loop-b' } },
          { name: 'loop-b', properties: { ForwardTo: 'loop-a' } },
        ],
        topics: [
          {
            name: 'orders',
            subscriptions: [
              { name: 'all' },
              {
                name: 'red',
                rules: [
                  {
                    Name: 'red-only',
                    Properties: {
                      FilterType: 'Correlation',
                      CorrelationFilter: { Label: 'order', Properties: { color: 'red' } },
                    },
                  },
                ],
              },
              { name: 'big-or-vip', rules: [sqlRule('size', "size > 10 AND region IN ('eu', 'us') OR EXISTS(vip)")] },
              { name: 'by-system', rules: [sqlRule('sys', "sys.CorrelationId = 'c-7' OR sys.Label LIKE 'urg%'")] },
              { name: 'to-queue', properties: { ForwardTo: 'forwarded' } },
              { name: 'managed' },
              {
                name: 'sessioned',
                properties: { RequiresSession: true },
                rules: [
                  {
                    Name: 'label',
                    Properties: { FilterType: 'Correlation', CorrelationFilter: { Label: 'session-check' } },
                  },
                ],
              },
              {
                name: 'dead-forward',
                properties: { ForwardDeadLetteredMessagesTo: 'dead-letters-here', MaxDeliveryCount: 1 },
                rules: [sqlRule('poison', 'poison = TRUE')],
              },
            ],
          },
        ],
      }),
    );
  });

  afterAll(async () => {
    await broker.close();
  });

  /** Receives everything a subscription holds, by peeking how much that is first. */
  async function drain(client: ServiceBusClient, subscription: string): Promise<unknown[]> {
    const receiver = client.createReceiver('orders', subscription, { receiveMode: 'receiveAndDelete' });
    const expected = (await receiver.peekMessages(100)).length;
    const bodies: unknown[] = [];
    while (bodies.length < expected) {
      const messages = await receiver.receiveMessages(expected - bodies.length, { maxWaitTimeInMs: 2000 });
      bodies.push(...messages.map((m) => m.body as unknown));
    }
    return bodies;
  }

  it('copies each message to every subscription whose rules match', async () => {
    const client = broker.client();
    await client
      .createSender('orders')
      .sendMessages([
        { body: 'plain' },
        { body: 'red order', subject: 'order', applicationProperties: { color: 'red' } },
        { body: 'red note', subject: 'note', applicationProperties: { color: 'red' } },
        { body: 'big eu', applicationProperties: { size: 20, region: 'eu' } },
        { body: 'big asia', applicationProperties: { size: 20, region: 'asia' } },
        { body: 'small vip', applicationProperties: { size: 1, vip: false } },
        { body: 'correlated', correlationId: 'c-7' },
        { body: 'urgent', subject: 'urgent-order' },
      ]);

    expect(await drain(client, 'all')).toEqual([
      'plain',
      'red order',
      'red note',
      'big eu',
      'big asia',
      'small vip',
      'correlated',
      'urgent',
    ]);
    expect(await drain(client, 'red')).toEqual(['red order']);
    expect(await drain(client, 'big-or-vip')).toEqual(['big eu', 'small vip']);
    expect(await drain(client, 'by-system')).toEqual(['correlated', 'urgent']);
    const forwarded = client.createReceiver('forwarded', { receiveMode: 'receiveAndDelete' });
    expect((await forwarded.receiveMessages(20, { maxWaitTimeInMs: 1000 })).length).toBe(8);
  });

  it('subscription messages share the topic sequence number', async () => {
    const client = broker.client();
    await client
      .createSender('orders')
      .sendMessages({ body: 'numbered', subject: 'order', applicationProperties: { color: 'red' } });
    const [inAll] = await client.createReceiver('orders', 'all').peekMessages(1);
    const [inRed] = await client.createReceiver('orders', 'red').peekMessages(1);
    expect(inAll?.sequenceNumber?.toNumber()).toBe(inRed?.sequenceNumber?.toNumber());
    await drain(client, 'all');
    await drain(client, 'red');
    await client
      .createReceiver('forwarded', { receiveMode: 'receiveAndDelete' })
      .receiveMessages(5, { maxWaitTimeInMs: 500 });
  });

  it('forwards dead-lettered messages to ForwardDeadLetteredMessagesTo', async () => {
    const client = broker.client();
    await client
      .createSender('orders')
      .sendMessages({ body: 'bad', messageId: 'poison-1', applicationProperties: { poison: true } });
    const receiver = client.createReceiver('orders', 'dead-forward');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    await receiver.abandonMessage(message!);

    const target = client.createReceiver('dead-letters-here', { receiveMode: 'receiveAndDelete' });
    const [dead] = await target.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect(dead?.messageId).toBe('poison-1');
    expect(dead?.deadLetterReason).toBe('MaxDeliveryCountExceeded');
    await drain(client, 'all');
    await client
      .createReceiver('forwarded', { receiveMode: 'receiveAndDelete' })
      .receiveMessages(5, { maxWaitTimeInMs: 500 });
  });

  it('schedules on a topic into every matching subscription, and cancels there too', async () => {
    const client = broker.client();
    const sender = client.createSender('orders');
    const later = new Date(Date.now() + 60_000);
    const [kept, cancelled] = await sender.scheduleMessages([{ body: 'kept' }, { body: 'cancelled' }], later);
    await sender.cancelScheduledMessages(cancelled!);
    const [inAll] = await client.createReceiver('orders', 'all').peekMessages(5);
    expect([inAll?.body, inAll?.state, inAll?.sequenceNumber?.toNumber()]).toEqual([
      'kept',
      'scheduled',
      kept?.toNumber(),
    ]);
    await sender.cancelScheduledMessages(kept!);
    expect(await client.createReceiver('orders', 'all').peekMessages(5)).toHaveLength(0);
    await client
      .createReceiver('forwarded', { receiveMode: 'receiveAndDelete' })
      .receiveMessages(5, { maxWaitTimeInMs: 300 });
  });

  it('stops a forwarding loop after four hops in the transfer dead-letter queue', async () => {
    const client = broker.client();
    await client.createSender('loop-a').sendMessages({ body: 'round and round', messageId: 'loop-1' });
    const transferDeadLetters = client.createReceiver('loop-a', {
      subQueueType: 'transferDeadLetter',
      receiveMode: 'receiveAndDelete',
    });
    const [dead] = await transferDeadLetters.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect([dead?.messageId, dead?.deadLetterReason]).toEqual(['loop-1', 'MaxTransferHopCountExceeded']);
  });

  it("the SDK's rule manager lists, adds and deletes a subscription's rules", async () => {
    const client = broker.client({ retryOptions: { maxRetries: 0, timeoutInMs: 5000 } });
    const rules = client.createRuleManager('orders', 'managed');
    const names = async () => {
      const listed = [];
      for await (const rule of rules.listRules()) {
        listed.push([rule.name, rule.filter]);
      }
      return listed;
    };
    expect(await names()).toEqual([['$Default', { sqlExpression: '1=1' }]]);
    await drain(client, 'managed');

    await rules.createRule('blue', { applicationProperties: { color: 'blue' }, subject: 'order' });
    await rules.deleteRule('$Default');
    expect(await names()).toEqual([
      ['blue', expect.objectContaining({ subject: 'order', applicationProperties: { color: 'blue' } })],
    ]);
    await expect(rules.createRule('blue', { sqlExpression: '1=1' })).rejects.toMatchObject({
      code: 'MessagingEntityAlreadyExists',
    });
    await expect(rules.deleteRule('missing')).rejects.toMatchObject({ code: 'MessagingEntityNotFound' });
    await expect(rules.createRule('broken', { sqlExpression: 'a = ' })).rejects.toThrow(/Invalid SQL filter/);

    await client.createSender('orders').sendMessages([
      { body: 'blue order', subject: 'order', applicationProperties: { color: 'blue' } },
      { body: 'red order', subject: 'order', applicationProperties: { color: 'red' } },
    ]);
    expect(await drain(client, 'managed')).toEqual(['blue order']);
    await drain(client, 'all');
    await drain(client, 'red');
    await client
      .createReceiver('forwarded', { receiveMode: 'receiveAndDelete' })
      .receiveMessages(5, { maxWaitTimeInMs: 500 });
  });

  it('dead-letters a message without a session id that reaches a session-enabled subscription', async () => {
    const client = broker.client();
    await client.createSender('orders').sendMessages([
      { body: 'no session', subject: 'session-check', messageId: 'nosession-1' },
      { body: 'with session', subject: 'session-check', sessionId: 's-1' },
    ]);
    const dlq = client.createReceiver('orders', 'sessioned', {
      subQueueType: 'deadLetter',
      receiveMode: 'receiveAndDelete',
    });
    const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect([dead?.messageId, dead?.deadLetterReason]).toEqual(['nosession-1', 'Session id is null.']);
    const session = await client.acceptSession('orders', 'sessioned', 's-1', { receiveMode: 'receiveAndDelete' });
    expect((await session.receiveMessages(1, { maxWaitTimeInMs: 2000 }))[0]?.body).toBe('with session');
    await drain(client, 'all');
    await drain(client, 'managed');
    await client
      .createReceiver('forwarded', { receiveMode: 'receiveAndDelete' })
      .receiveMessages(5, { maxWaitTimeInMs: 300 });
  });

  it('refuses sending to a subscription and receiving from a topic', async () => {
    const client = broker.client({ retryOptions: { maxRetries: 0, timeoutInMs: 5000 } });
    await expect(client.createSender('orders/subscriptions/all').sendMessages({ body: 'x' })).rejects.toThrow(
      /not to a subscription/,
    );
    await expect(client.createReceiver('orders').receiveMessages(1, { maxWaitTimeInMs: 500 })).rejects.toThrow(
      /receive from one of its subscriptions/,
    );
  });
});
