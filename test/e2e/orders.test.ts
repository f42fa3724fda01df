import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { toQueueMessageText } from '../../lib/queueMessages';
import type { OrderResult } from '../../lib/orders/steps';
import { balanceOf } from '../activities/azuriteEnv';
import { startLocalPlatform, waitFor, waitForJob, type LocalPlatform } from './platform';

let platform: LocalPlatform;
let serviceBus: ServiceBusClient;

beforeAll(async () => {
  platform = await startLocalPlatform();
  serviceBus = new ServiceBusClient(platform.broker.connectionString);
});

afterAll(async () => {
  await serviceBus?.close();
  await platform?.stop();
});

async function dropOrder(queue: string, message: unknown): Promise<void> {
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  await platform.storage.queue(queue).sendMessage(toQueueMessageText(text));
}

async function receiveSession(sessionId: string, count: number): Promise<ServiceBusReceivedMessage[]> {
  const receiver = await serviceBus.acceptSession('order-replies-sessions', sessionId);
  const received: ServiceBusReceivedMessage[] = [];
  try {
    const deadline = Date.now() + 20_000;
    while (received.length < count && Date.now() < deadline) {
      const batch = await receiver.receiveMessages(count - received.length, { maxWaitTimeInMs: 1000 });
      for (const message of batch) {
        await receiver.completeMessage(message);
        received.push(message);
      }
    }
  } finally {
    await receiver.close();
  }
  return received;
}

describe('orders end to end through the local platform', () => {
  it('processes a queued order and sends each reply on the requested session', async () => {
    await dropOrder('orders', {
      orderId: 'e2e-happy',
      customerId: 'c-alice',
      items: [{ sku: 'sku-widget', quantity: 2 }],
      replyTo: 'order-replies-sessions',
      replyToSessionId: 'session-e2e',
      correlationId: 'corr-e2e',
    });

    const job = await waitForJob(platform, 'order-e2e-happy');
    const replies = await receiveSession('session-e2e', 5);

    expect(job.runtimeStatus).toBe('Completed');
    expect((job.output as OrderResult).status).toBe('completed');
    expect(replies.map((reply) => reply.subject)).toEqual([
      'reserveInventory.completed',
      'chargePayment.completed',
      'createShipment.completed',
      'sendConfirmation.completed',
      'order.completed',
    ]);
    expect(replies.every((reply) => reply.correlationId === 'corr-e2e' && reply.sessionId === 'session-e2e')).toBe(
      true,
    );
    expect(replies[4]?.messageId).toBe('e2e-happy:order:completed');
    expect(replies[4]?.body).toMatchObject({
      orderId: 'e2e-happy',
      step: 'order',
      outcome: 'completed',
      progress: 100,
    });
  });

  it('accepts an order over HTTP with 202 and a status URL that reaches the finished job', async () => {
    const response = await platform.call('POST', 'orders', {
      key: true,
      body: { orderId: 'e2e-http', customerId: 'c-bob', items: [{ sku: 'sku-gadget', quantity: 1 }] },
    });

    expect(response.status).toBe(202);
    const body = response.body as { statusUrl: string; instanceId: string };
    expect(body.instanceId).toBe('order-e2e-http');
    expect(response.headers.get('location')).toBe(body.statusUrl);
    expect((await waitForJob(platform, 'order-e2e-http')).runtimeStatus).toBe('Completed');
  });

  it('answers 400 with the reason for an invalid order and 401 without a key', async () => {
    const invalid = await platform.call('POST', 'orders', { key: true, body: { orderId: 'x', items: [] } });
    const unauthorised = await platform.call('POST', 'orders', { body: { orderId: 'x' } });

    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: { code: 'InvalidOrder' } });
    expect(JSON.stringify(invalid.body)).toContain('at customerId: expected a string customer id, received nothing');
    expect(unauthorised.status).toBe(401);
  });

  it.each([
    ['out of stock', 'e2e-soldout', 'c-alice', 'sku-soldout', 'reserveInventory', []],
    ['payment declined', 'e2e-declined', 'c-frugal', 'sku-gizmo', 'chargePayment', ['releaseInventory']],
    [
      'shipment refused',
      'e2e-refused',
      'c-penguin',
      'sku-widget',
      'createShipment',
      ['refundPayment', 'releaseInventory'],
    ],
  ])('compensates an order that fails on %s', async (_path, orderId, customerId, sku, failedStep, compensations) => {
    await dropOrder('orders', { orderId, customerId, items: [{ sku, quantity: 1 }] });

    const job = await waitForJob(platform, `order-${orderId}`);

    expect(job.output).toMatchObject({ status: 'compensated', failedStep, compensations });
  });

  it('starts nothing for a duplicate message and charges once', async () => {
    const message = { orderId: 'e2e-dup', customerId: 'c-bob', items: [{ sku: 'sku-gizmo', quantity: 1 }] };
    const before = await balanceOf(platform.storage, 'c-bob');

    await dropOrder('orders', message);
    await waitForJob(platform, 'order-e2e-dup');
    await dropOrder('orders', message);
    await waitFor('the duplicate to be logged', () =>
      Promise.resolve(
        platform.durable.logs.some(
          (record) =>
            record.message.includes('Duplicate order message ignored') &&
            JSON.stringify(record).includes('order-e2e-dup'),
        )
          ? true
          : undefined,
      ),
    );

    expect(await balanceOf(platform.storage, 'c-bob')).toBe(before + 4500);
  });

  it('charges once when two copies of a message arrive at the same moment', async () => {
    const message = { orderId: 'e2e-twin', customerId: 'c-alice', items: [{ sku: 'sku-gizmo', quantity: 1 }] };
    const before = await balanceOf(platform.storage, 'c-alice');

    await Promise.all([dropOrder('orders', message), dropOrder('orders', message)]);
    const job = await waitForJob(platform, 'order-e2e-twin');
    await waitFor('both copies to be taken', async () => {
      const properties = await platform.storage.queue('orders').getProperties();
      return properties.approximateMessagesCount === 0 ? true : undefined;
    });

    expect(job.output).toMatchObject({ status: 'completed' });
    expect(await balanceOf(platform.storage, 'c-alice')).toBe(before + 4500);
  });

  it('moves a malformed message to poison at once with its reason, and requeues it on request', async () => {
    await dropOrder('orders', 'this is not an order');

    const poisoned = await waitFor('the malformed message in orders-poison', async () => {
      const response = await platform.call('GET', 'poison/orders');
      const messages = (response.body as { messages: { messageId: string; text: string; reason: string }[] }).messages;
      return messages.find((message) => message.text === 'this is not an order');
    });

    expect(poisoned.reason).toMatch(/^expected JSON, received this is not an order/);
    expect(
      platform.durable.logs.some(
        (record) => record.level === 'warn' && record.message.includes('moved to poison queue'),
      ),
    ).toBe(true);

    const requeued = await platform.call('POST', `poison/orders/${poisoned.messageId}/requeue`, { key: true });
    expect(requeued.status).toBe(202);
    // Still malformed, so it comes back to poison under a new message id.
    await waitFor('the requeued message back in poison', async () => {
      const response = await platform.call('GET', 'poison/orders');
      const messages = (response.body as { messages: { messageId: string; text: string }[] }).messages;
      return messages.find(
        (message) => message.text === 'this is not an order' && message.messageId !== poisoned.messageId,
      );
    });
  });

  it('requeues a valid poison message to its source queue, where it is processed', async () => {
    const text = JSON.stringify({
      orderId: 'e2e-requeue',
      customerId: 'c-alice',
      items: [{ sku: 'sku-widget', quantity: 1 }],
    });
    await platform.storage.queue('orders-poison').sendMessage(toQueueMessageText(text));
    const listed = await platform.call('GET', 'poison/orders');
    const entry = (listed.body as { messages: { messageId: string; text: string }[] }).messages.find(
      (m) => m.text === text,
    );

    const response = await platform.call('POST', `poison/orders/${entry?.messageId ?? 'missing'}/requeue`, {
      key: true,
    });

    expect(response.status).toBe(202);
    expect((await waitForJob(platform, 'order-e2e-requeue')).runtimeStatus).toBe('Completed');
  });
});
