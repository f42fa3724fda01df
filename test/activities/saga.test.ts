import { cancelShipment } from '../../activities/cancelShipment';
import { chargePayment } from '../../activities/chargePayment';
import { createShipment } from '../../activities/createShipment';
import { refundPayment } from '../../activities/refundPayment';
import { releaseInventory } from '../../activities/releaseInventory';
import { reserveInventory } from '../../activities/reserveInventory';
import { sendConfirmation } from '../../activities/sendConfirmation';
import { activityContext, balanceOf, startActivityEnv, stockOf, type ActivityEnv } from './azuriteEnv';

const at = '2026-03-01T10:00:00.000Z';
let env: ActivityEnv;

beforeAll(async () => {
  env = await startActivityEnv();
});

afterAll(async () => {
  await env.close();
});

describe('reserveInventory and releaseInventory', () => {
  it('reserves stock once however often the activity repeats, and releases it once', async () => {
    const before = await stockOf(env.storage, 'sku-gizmo');
    const input = { orderId: 'res-1', items: [{ sku: 'sku-gizmo', quantity: 3 }], at };

    const first = await reserveInventory(input, activityContext('reserveInventory'));
    const second = await reserveInventory(input, activityContext('reserveInventory'));

    expect(first).toEqual({
      ok: true,
      value: {
        lines: [{ sku: 'sku-gizmo', quantity: 3, unitPriceCents: 4500, lineCents: 13500 }],
        totalCents: 13500,
        expiresAt: '2026-03-01T11:00:00.000Z',
      },
    });
    expect(second).toEqual(first);
    expect(await stockOf(env.storage, 'sku-gizmo')).toEqual({
      available: before.available - 3,
      reserved: before.reserved + 3,
    });

    const released = await releaseInventory({ orderId: 'res-1' }, activityContext('releaseInventory'));
    const again = await releaseInventory({ orderId: 'res-1' }, activityContext('releaseInventory'));

    expect(released.released).toEqual([{ sku: 'sku-gizmo', quantity: 3 }]);
    expect(again.released).toEqual([]);
    expect(await stockOf(env.storage, 'sku-gizmo')).toEqual(before);
  });

  it('refuses an out-of-stock order and keeps nothing reserved for it', async () => {
    const before = await stockOf(env.storage, 'sku-widget');

    const result = await reserveInventory(
      {
        orderId: 'res-2',
        items: [
          { sku: 'sku-widget', quantity: 1 },
          { sku: 'sku-soldout', quantity: 1 },
        ],
        at,
      },
      activityContext('reserveInventory'),
    );

    expect(result).toEqual({
      ok: false,
      code: 'outOfStock',
      reason: "SKU 'sku-soldout': requested 1, only 0 available",
    });
    expect(await stockOf(env.storage, 'sku-widget')).toEqual(before);
  });

  it('refuses a SKU that is not in the catalogue', async () => {
    const result = await reserveInventory(
      { orderId: 'res-3', items: [{ sku: 'sku-nope', quantity: 1 }], at },
      activityContext('reserveInventory'),
    );

    expect(result).toMatchObject({ ok: false, code: 'unknownSku' });
  });

  it('never oversells when orders race for the last units', async () => {
    await env.storage
      .table('Catalog')
      .upsertEntity({ partitionKey: 'catalog', rowKey: 'sku-race', name: 'R', priceCents: 1 });
    await env.storage
      .table('Inventory')
      .upsertEntity({ partitionKey: 'sku-race', rowKey: 'stock', available: 5, reserved: 0 });

    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        reserveInventory(
          { orderId: `race-${index}`, items: [{ sku: 'sku-race', quantity: 1 }], at },
          activityContext('reserveInventory'),
        ),
      ),
    );

    expect(results.filter((result) => result.ok)).toHaveLength(5);
    expect(await stockOf(env.storage, 'sku-race')).toEqual({ available: 0, reserved: 5 });
  });
});

describe('chargePayment and refundPayment', () => {
  it('charges once per order however often the activity repeats, and refunds once', async () => {
    const before = await balanceOf(env.storage, 'c-bob');
    const input = { orderId: 'pay-1', customerId: 'c-bob', amountCents: 1234, at };

    const first = await chargePayment(input, activityContext('chargePayment'));
    const second = await chargePayment(input, activityContext('chargePayment'));

    expect(first).toEqual({ ok: true, value: { chargeId: 'charge-pay-1', amountCents: 1234 } });
    expect(second).toEqual(first);
    expect(await balanceOf(env.storage, 'c-bob')).toBe(before + 1234);

    const refund = await refundPayment({ orderId: 'pay-1', customerId: 'c-bob', at }, activityContext('refundPayment'));
    const again = await refundPayment({ orderId: 'pay-1', customerId: 'c-bob', at }, activityContext('refundPayment'));

    expect([refund.refundedCents, again.refundedCents]).toEqual([1234, 0]);
    expect(await balanceOf(env.storage, 'c-bob')).toBe(before);
  });

  it('declines a charge beyond the credit limit and records nothing', async () => {
    const result = await chargePayment(
      { orderId: 'pay-2', customerId: 'c-frugal', amountCents: 1001, at },
      activityContext('chargePayment'),
    );

    expect(result).toEqual({
      ok: false,
      code: 'paymentDeclined',
      reason: "customer 'c-frugal': charge of 10.01 exceeds remaining credit of 10.00",
    });
    expect(await balanceOf(env.storage, 'c-frugal')).toBe(0);
  });

  it('declines an unknown customer', async () => {
    const result = await chargePayment(
      { orderId: 'pay-3', customerId: 'c-ghost', amountCents: 1, at },
      activityContext('chargePayment'),
    );

    expect(result).toMatchObject({ ok: false, code: 'unknownCustomer' });
  });
});

describe('createShipment, cancelShipment and sendConfirmation', () => {
  it('creates one shipment per order and cancels it once', async () => {
    const input = { orderId: 'ship-1', customerId: 'c-alice', at };

    const first = await createShipment(input, activityContext('createShipment'));
    const second = await createShipment(input, activityContext('createShipment'));

    expect(first).toEqual({ ok: true, value: { shipmentId: 'shp-ship-1', status: 'created', country: 'NL' } });
    expect(second).toEqual(first);
    expect(await cancelShipment({ orderId: 'ship-1' }, activityContext('cancelShipment'))).toEqual({ cancelled: true });
    expect(await cancelShipment({ orderId: 'ship-1' }, activityContext('cancelShipment'))).toEqual({
      cancelled: false,
    });
  });

  it('refuses to ship to a refused country', async () => {
    const result = await createShipment(
      { orderId: 'ship-2', customerId: 'c-penguin', at },
      activityContext('createShipment'),
    );

    expect(result).toEqual({
      ok: false,
      code: 'shipmentRefused',
      reason: "customer 'c-penguin': the carrier does not ship to country 'AQ'",
    });
  });

  it('writes the confirmation email to the outbox once', async () => {
    const input = {
      orderId: 'mail-1',
      customerId: 'c-alice',
      lines: [{ sku: 'sku-widget', quantity: 2, unitPriceCents: 250, lineCents: 500 }],
      totalCents: 500,
      shipmentId: 'shp-mail-1',
      at,
    };

    const first = await sendConfirmation(input, activityContext('sendConfirmation'));
    const second = await sendConfirmation(
      { ...input, at: '2026-03-02T00:00:00.000Z' },
      activityContext('sendConfirmation'),
    );

    expect(first).toEqual({ ok: true, value: { blobName: 'mail-1/confirmation.json' } });
    expect(second).toEqual(first);
    const document = JSON.parse(
      (
        await env.storage.container('outbox').getBlockBlobClient('mail-1/confirmation.json').downloadToBuffer()
      ).toString(),
    ) as { to: string; createdAt: string; text: string };
    expect(document.to).toBe('c-alice@example.com');
    expect(document.createdAt).toBe(at);
    expect(document.text).toContain('Total: 5.00');
  });
});
