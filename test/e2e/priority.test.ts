import { toQueueMessageText } from '../../lib/queueMessages';
import type { Storage } from '../../lib/storage';
import { startLocalPlatform, waitFor, type LocalPlatform } from './platform';

let platform: LocalPlatform;

async function enqueue(storage: Storage, queue: string, orderId: string, priority: string): Promise<void> {
  const text = JSON.stringify({
    orderId,
    customerId: 'c-alice',
    items: [{ sku: 'sku-widget', quantity: 1 }],
    priority,
  });
  await storage.queue(queue).sendMessage(toQueueMessageText(text));
}

beforeAll(async () => {
  platform = await startLocalPlatform({
    // The backlog is there before the host starts: 30 normal orders queued first, then 6 high-priority ones.
    beforeHost: async (storage) => {
      for (let index = 0; index < 30; index++) {
        await enqueue(storage, 'orders', `prio-normal-${index}`, 'normal');
      }
      for (let index = 0; index < 6; index++) {
        await enqueue(storage, 'orders-high', `prio-high-${index}`, 'high');
      }
    },
  });
});

afterAll(async () => {
  await platform?.stop();
});

interface Listed {
  jobs: { instanceId: string; createdTime: string; runtimeStatus: string }[];
}

describe('priorities with a backlog', () => {
  it('starts every high-priority order before any normal one, and completes them all', async () => {
    const jobs = await waitFor('all 36 orders to complete', async () => {
      const response = await platform.call('GET', 'jobs?prefix=order-prio-&status=Completed&top=100');
      const listed = (response.body as Listed).jobs;
      return listed.length === 36 ? listed : undefined;
    });

    const started = (prefix: string) =>
      jobs.filter((job) => job.instanceId.startsWith(prefix)).map((job) => Date.parse(job.createdTime));
    expect(Math.max(...started('order-prio-high-'))).toBeLessThanOrEqual(Math.min(...started('order-prio-normal-')));
  });
});
