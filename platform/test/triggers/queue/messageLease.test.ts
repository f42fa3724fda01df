import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { randomBytes } from 'node:crypto';
import { VirtualClock } from '../../../src/clock/virtualClock';
import { createLogger, type LogRecord } from '../../../src/host/logger';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { MessageLease } from '../../../src/triggers/queue/messageLease';
import { startTestAzurite } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';

describe('queue message lease', () => {
  let azurite: EmbeddedAzurite;
  let queue: QueueClient;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    const service = QueueServiceClient.fromConnectionString(azurite.connectionString, {
      retryOptions: { maxTries: 1 },
    });
    queue = service.getQueueClient(`lease-${randomBytes(4).toString('hex')}`);
    await queue.create();
  });

  afterAll(async () => {
    await azurite?.close();
  });

  async function receiveOne(visibilityTimeout: number) {
    await queue.sendMessage('body');
    const { receivedMessageItems } = await queue.receiveMessages({ visibilityTimeout });
    const message = receivedMessageItems[0];
    if (!message) {
      throw new Error('no message received');
    }
    return message;
  }

  function leaseFor(message: { messageId: string; popReceipt: string }, clock: VirtualClock, logs: LogRecord[]) {
    const logger = createLogger({ levels: { default: 'debug' }, sink: (record) => logs.push(record) });
    return new MessageLease({ ...message, queue, leaseMs: 60_000, clock, logger, functionName: 'orders' });
  }

  it('renews the visibility every half lease and keeps the newest pop receipt', async () => {
    const clock = new VirtualClock();
    const logs: LogRecord[] = [];
    const message = await receiveOne(60);
    const lease = leaseFor(message, clock, logs);

    lease.start();
    await clock.advance(30_000);
    await waitFor('the first renewal', () => logs.some((r) => r.message === 'Renewed message lease'));
    const renewed = lease.popReceipt;
    await lease.stop();

    expect(renewed).not.toBe(message.popReceipt);
    await queue.deleteMessage(message.messageId, renewed);
  });

  it('does not renew before half the lease has passed, nor after it was stopped', async () => {
    const clock = new VirtualClock();
    const logs: LogRecord[] = [];
    const message = await receiveOne(60);
    const lease = leaseFor(message, clock, logs);

    lease.start();
    await clock.advance(29_999);
    await lease.stop();
    await clock.advance(60_000);

    expect(lease.popReceipt).toBe(message.popReceipt);
    expect(clock.pendingTimers).toBe(0);
    await queue.deleteMessage(message.messageId, message.popReceipt);
  });

  it('stops renewing, with a warning, when the message is gone', async () => {
    const clock = new VirtualClock();
    const logs: LogRecord[] = [];
    const message = await receiveOne(60);
    const lease = leaseFor(message, clock, logs);
    await queue.deleteMessage(message.messageId, message.popReceipt);

    lease.start();
    await clock.advance(30_000);
    await waitFor('the warning', () => logs.some((r) => r.message === 'Message vanished while its function ran'));
    await lease.stop();

    expect(clock.pendingTimers).toBe(0);
  });
});
