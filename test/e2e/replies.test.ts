import path from 'node:path';
import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { startServiceBusBroker, type ServiceBusBroker } from '../../platform/src/servicebus';
import { toQueueMessageText } from '../../lib/queueMessages';
import { appDir, startLocalPlatform, waitFor, waitForJob, type LocalPlatform } from './platform';

let platform: LocalPlatform;
let revived: ServiceBusBroker | undefined;

beforeAll(async () => {
  platform = await startLocalPlatform({ env: { SERVICE_BUS_TIMEOUT_SECONDS: '2' } });
});

afterAll(async () => {
  await revived?.stop();
  await platform?.stop();
});

describe('replies during a Service Bus outage', () => {
  it('completes the order while Service Bus is down and delivers every reply once it is back', async () => {
    const port = platform.broker.port;
    await platform.broker.stop();
    const text = JSON.stringify({
      orderId: 'outage-1',
      customerId: 'c-alice',
      items: [{ sku: 'sku-widget', quantity: 1 }],
      replyTo: 'order-replies',
    });

    await platform.storage.queue('orders').sendMessage(toQueueMessageText(text));
    const job = await waitForJob(platform, 'order-outage-1');
    expect(job.runtimeStatus).toBe('Completed');

    revived = await startServiceBusBroker({ port, config: path.join(appDir, 'servicebus-config.json') });
    const client = new ServiceBusClient(revived.connectionString);
    const receiver = client.createReceiver('order-replies');
    const received: ServiceBusReceivedMessage[] = [];
    try {
      await waitFor(
        'the five deferred replies',
        async () => {
          for (const message of await receiver.receiveMessages(10, { maxWaitTimeInMs: 1000 })) {
            await receiver.completeMessage(message);
            received.push(message);
          }
          return new Set(received.map((message) => message.messageId)).size >= 5 ? true : undefined;
        },
        120_000,
      );
    } finally {
      await receiver.close();
      await client.close();
    }

    expect(new Set(received.map((message) => message.subject))).toEqual(
      new Set([
        'reserveInventory.completed',
        'chargePayment.completed',
        'createShipment.completed',
        'sendConfirmation.completed',
        'order.completed',
      ]),
    );
    expect(received.every((message) => message.correlationId === 'outage-1')).toBe(true);
  }, 180_000);
});
