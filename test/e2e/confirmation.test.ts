import { ServiceBusClient } from '@azure/service-bus';
import { toQueueMessageText } from '../../lib/queueMessages';
import { startLocalPlatform, waitFor, waitForJob, type LocalPlatform } from './platform';

let platform: LocalPlatform;

beforeAll(async () => {
  // The reply queue stands in for a confirmation queue: any Service Bus queue works.
  platform = await startLocalPlatform({
    env: { CONFIRMATION_SENDER: 'serviceBus', CONFIRMATION_QUEUE: 'order-replies' },
  });
});

afterAll(async () => {
  await platform?.stop();
});

describe('confirmations sent through Service Bus', () => {
  it('writes the outbox document and sends the email document with a fixed message id', async () => {
    const text = JSON.stringify({
      orderId: 'mail-sb-1',
      customerId: 'c-bob',
      items: [{ sku: 'sku-widget', quantity: 3 }],
    });
    await platform.storage.queue('orders').sendMessage(toQueueMessageText(text));
    expect((await waitForJob(platform, 'order-mail-sb-1')).runtimeStatus).toBe('Completed');

    const client = new ServiceBusClient(platform.broker.connectionString);
    const receiver = client.createReceiver('order-replies');
    try {
      const message = await waitFor('the confirmation message', async () => {
        const [received] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 1000 });
        return received;
      });

      expect(message.messageId).toBe('mail-sb-1:confirmation');
      expect(message.body).toMatchObject({ orderId: 'mail-sb-1', to: 'c-bob@example.com', totalCents: 750 });
    } finally {
      await receiver.close();
      await client.close();
    }
    expect(await platform.storage.container('outbox').getBlobClient('mail-sb-1/confirmation.json').exists()).toBe(true);
  });
});
