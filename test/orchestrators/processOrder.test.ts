import { EventType } from '../../platform/src/durable/backend/types';
import type { OrderResult } from '../../lib/orders/steps';
import { balanceOf, stockOf } from '../activities/azuriteEnv';
import { outputOf, startAppUnderTest, type AppUnderTest } from './appHost';

let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest();
});

afterAll(async () => {
  await app?.stop();
});

function order(orderId: string, customerId: string, items: { sku: string; quantity: number }[], extra = {}) {
  return { orderId, customerId, items, correlationId: orderId, priority: 'normal', ...extra };
}

async function runOrder(input: ReturnType<typeof order>) {
  const instanceId = await app.durable.startNew('processOrder', input, `order-${input.orderId}`);
  const done = await app.durable.waitForCompletion(instanceId, { timeoutMs: 30_000 });
  return { instanceId, done, result: outputOf<OrderResult>(done) };
}

describe('processOrder on the in-memory task hub', () => {
  it('completes an order: stock reserved, customer charged, shipment created, confirmation written', async () => {
    const stock = await stockOf(app.env.storage, 'sku-gadget');
    const balance = await balanceOf(app.env.storage, 'c-alice');

    const { done, result } = await runOrder(order('happy-1', 'c-alice', [{ sku: 'sku-gadget', quantity: 2 }]));

    expect(done.runtimeStatus).toBe('Completed');
    expect(result).toEqual({
      orderId: 'happy-1',
      status: 'completed',
      totalCents: 3998,
      shipmentId: 'shp-happy-1',
      compensations: [],
    });
    expect(JSON.parse(done.customStatus ?? 'null')).toMatchObject({ step: 'done', progress: 100 });
    expect(await stockOf(app.env.storage, 'sku-gadget')).toEqual({
      available: stock.available - 2,
      reserved: stock.reserved + 2,
    });
    expect(await balanceOf(app.env.storage, 'c-alice')).toBe(balance + 3998);
    expect(await app.env.storage.container('outbox').getBlobClient('happy-1/confirmation.json').exists()).toBe(true);
  });

  it('stops at reserveInventory for an out-of-stock order, with nothing to compensate', async () => {
    const { result } = await runOrder(order('soldout-1', 'c-alice', [{ sku: 'sku-soldout', quantity: 1 }]));

    expect(result).toEqual({
      orderId: 'soldout-1',
      status: 'compensated',
      failedStep: 'reserveInventory',
      failureCode: 'outOfStock',
      failureReason: "SKU 'sku-soldout': requested 1, only 0 available",
      compensations: [],
    });
  });

  it('releases the inventory when the payment is declined', async () => {
    const stock = await stockOf(app.env.storage, 'sku-gizmo');

    const { result } = await runOrder(order('declined-1', 'c-frugal', [{ sku: 'sku-gizmo', quantity: 1 }]));

    expect(result).toMatchObject({
      status: 'compensated',
      failedStep: 'chargePayment',
      failureCode: 'paymentDeclined',
      compensations: ['releaseInventory'],
    });
    expect(await stockOf(app.env.storage, 'sku-gizmo')).toEqual(stock);
  });

  it('refunds and releases, in reverse order, when the shipment is refused', async () => {
    const stock = await stockOf(app.env.storage, 'sku-widget');
    const balance = await balanceOf(app.env.storage, 'c-penguin');

    const { result } = await runOrder(order('refused-1', 'c-penguin', [{ sku: 'sku-widget', quantity: 4 }]));

    expect(result).toMatchObject({
      status: 'compensated',
      failedStep: 'createShipment',
      failureCode: 'shipmentRefused',
      compensations: ['refundPayment', 'releaseInventory'],
    });
    expect(await stockOf(app.env.storage, 'sku-widget')).toEqual(stock);
    expect(await balanceOf(app.env.storage, 'c-penguin')).toBe(balance);
  });

  it('retries a failing step with back-off and compensates when every attempt fails', async () => {
    // A customer without a ledger account: chargePayment throws on every attempt.
    await app.env.storage.table('Customers').upsertEntity({
      partitionKey: 'customer',
      rowKey: 'c-noaccount',
      name: 'No Account',
      email: 'c-noaccount@example.com',
      creditLimitCents: 100_000,
      address: JSON.stringify({ street: 's', city: 'c', postalCode: 'p', country: 'NL' }),
    });

    const { instanceId, result } = await runOrder(
      order('transient-1', 'c-noaccount', [{ sku: 'sku-widget', quantity: 1 }]),
    );

    expect(result).toMatchObject({
      status: 'compensated',
      failedStep: 'chargePayment',
      failureCode: 'transient',
      compensations: ['refundPayment', 'releaseInventory'],
    });
    expect(result.failureReason).toMatch(/^failed after 5 attempts: .*has no account row/);
    const history = await app.durable.history(instanceId);
    const failures = history.filter((event) => event.EventType === EventType.TaskFailed);
    expect(failures).toHaveLength(5);
  });

  it('succeeds when a failing step recovers before its retries run out, charging once', async () => {
    await app.env.storage.table('Customers').upsertEntity({
      partitionKey: 'customer',
      rowKey: 'c-late',
      name: 'Late Account',
      email: 'c-late@example.com',
      creditLimitCents: 100_000,
      address: JSON.stringify({ street: 's', city: 'c', postalCode: 'p', country: 'NL' }),
    });
    const instanceId = await app.durable.startNew(
      'processOrder',
      order('recover-1', 'c-late', [{ sku: 'sku-widget', quantity: 1 }]),
      'order-recover-1',
    );
    await app.durable.waitForIdle();
    const failed = (await app.durable.history(instanceId)).filter((event) => event.EventType === EventType.TaskFailed);
    expect(failed).toHaveLength(1);

    await app.env.storage.table('Ledger').createEntity({ partitionKey: 'c-late', rowKey: 'account', balanceCents: 0 });
    const done = await app.durable.waitForCompletion(instanceId, { timeoutMs: 30_000 });

    expect(outputOf<OrderResult>(done)).toMatchObject({ status: 'completed', totalCents: 250 });
    expect(await balanceOf(app.env.storage, 'c-late')).toBe(250);
  });

  it('defers replies to the retry queue when Service Bus is down, and still completes the order', async () => {
    const { result } = await runOrder(
      order('replies-1', 'c-bob', [{ sku: 'sku-widget', quantity: 1 }], {
        replyTo: 'order-replies-sessions',
        replyToSessionId: 'session-r1',
      }),
    );

    expect(result.status).toBe('completed');
    // The retry-queue function takes deferred replies at once and, Service Bus still being down, defers them again.
    const deferred = app.durable.logs
      .filter((record) => record.message.includes('Reply deferred'))
      .map((record) => record.message)
      .join('\n');
    expect(deferred).toContain('replies-1:reserveInventory:completed');
    expect(deferred).toContain('replies-1:order:completed');
  });
});
