import { toQueueMessageText } from '../../lib/queueMessages';
import { balanceOf, stockOf } from '../activities/azuriteEnv';
import { startLocalPlatform, waitFor, type LocalPlatform } from './platform';

const burst = 120;
let platform: LocalPlatform;

beforeAll(async () => {
  platform = await startLocalPlatform();
});

afterAll(async () => {
  await platform?.stop();
});

interface Listed {
  jobs: { instanceId: string; runtimeStatus: string; output: { status: string } | null }[];
}

describe('a burst of orders on one SKU and one customer', () => {
  it('completes every order without a failure, and stock and ledger add up exactly', async () => {
    const stock = await stockOf(platform.storage, 'sku-gadget');
    const balance = await balanceOf(platform.storage, 'c-bob');
    const queue = platform.storage.queue('orders');

    await Promise.all(
      Array.from({ length: burst }, (_, index) => {
        const text = JSON.stringify({
          orderId: `burst-${index}`,
          customerId: 'c-bob',
          items: [{ sku: 'sku-gadget', quantity: 1 }],
        });
        return queue.sendMessage(toQueueMessageText(text));
      }),
    );
    const jobs = await waitFor(
      `all ${burst} orders to finish`,
      async () => {
        const response = await platform.call(
          'GET',
          'jobs?prefix=order-burst-&status=Completed,Failed,Terminated&top=500',
        );
        const listed = (response.body as Listed).jobs;
        return listed.length === burst ? listed : undefined;
      },
      240_000,
    );

    expect(jobs.filter((job) => job.runtimeStatus !== 'Completed' || job.output?.status !== 'completed')).toEqual([]);
    expect(await stockOf(platform.storage, 'sku-gadget')).toEqual({
      available: stock.available - burst,
      reserved: stock.reserved + burst,
    });
    expect(await balanceOf(platform.storage, 'c-bob')).toBe(balance + burst * 1999);
    expect((await platform.storage.queue('orders-poison').getProperties()).approximateMessagesCount).toBe(0);
  }, 300_000);
});
