import { reserveInventory } from '../../activities/reserveInventory';
import { activityContext, stockOf } from '../activities/azuriteEnv';
import { startLocalPlatform, type LocalPlatform } from './platform';

// Virtual time starts a minute before the default schedule (02:00 UTC), months ahead of the machine's clock, so
// every outbox document written now is older than the 30-day retention.
const start = new Date('2027-03-01T01:59:00.000Z');
let platform: LocalPlatform;

beforeAll(async () => {
  platform = await startLocalPlatform({ virtualClock: true, startTime: start });
});

afterAll(async () => {
  await platform?.stop();
});

describe('the nightly batch on a virtual clock', () => {
  it('starts at 02:00 from the timer, releases expired reservations, applies retention and writes the report', async () => {
    const stock = await stockOf(platform.storage, 'sku-gadget');
    await reserveInventory(
      { orderId: 'expired-1', items: [{ sku: 'sku-gadget', quantity: 3 }], at: '2027-02-28T20:00:00.000Z' },
      activityContext('reserveInventory'),
    );
    const oldDocument = platform.storage.container('outbox').getBlockBlobClient('old-order/confirmation.json');
    await oldDocument.upload('{}', 2);

    await platform.durable.advance(60_000);
    const done = await platform.durable.waitForCompletion('nightly-2027-03-01', { timeoutMs: 30_000 });

    expect(done.runtimeStatus).toBe('Completed');
    const output = JSON.parse(done.output ?? 'null') as Record<string, unknown>;
    expect(output).toMatchObject({
      date: '2027-03-01',
      partitions: 4,
      releasedReservations: ['expired-1'],
      consistent: true,
      reportBlob: 'reports/2027-03-01.json',
    });
    expect(output.deletedOutboxDocuments).toBeGreaterThanOrEqual(1);
    expect(await oldDocument.exists()).toBe(false);
    expect(await stockOf(platform.storage, 'sku-gadget')).toEqual(stock);
    const report = JSON.parse(
      (await platform.storage.container('reports').getBlockBlobClient('2027-03-01.json').downloadToBuffer()).toString(),
    ) as { date: string; checkedSkus: number };
    expect(report.date).toBe('2027-03-01');
    expect(report.checkedSkus).toBeGreaterThanOrEqual(4);
  });

  it('refuses a second batch for the same date', async () => {
    const response = await platform.call('POST', 'batches/nightly?date=2027-03-01', { key: true });

    expect(response.status).toBe(409);
  });

  it('reports an inconsistency between stock and reservations', async () => {
    await platform.storage
      .table('Inventory')
      .updateEntity({ partitionKey: 'sku-gizmo', rowKey: 'stock', reserved: 7 }, 'Merge');

    await platform.call('POST', 'batches/nightly?date=2027-03-02', { key: true });
    const done = await platform.durable.waitForCompletion('nightly-2027-03-02', { timeoutMs: 30_000 });

    expect(JSON.parse(done.output ?? 'null')).toMatchObject({
      consistent: false,
      issues: ["SKU 'sku-gizmo': stock says 7 reserved, reservation rows hold 0"],
    });
  });
});
