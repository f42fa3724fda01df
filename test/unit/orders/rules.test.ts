import { mergeItems, priceOrder, type CatalogItem } from '../../../lib/orders/pricing';
import { checkCredit, checkShippable, checkStock, formatCents } from '../../../lib/orders/rules';
import { toOrderProgress } from '../../../lib/orders/steps';

const catalog = new Map<string, CatalogItem>([
  ['sku-a', { sku: 'sku-a', name: 'A', priceCents: 250 }],
  ['sku-b', { sku: 'sku-b', name: 'B', priceCents: 1999 }],
]);

describe('order pricing', () => {
  it('prices each line and sums the total in cents', () => {
    const result = priceOrder(
      [
        { sku: 'sku-a', quantity: 3 },
        { sku: 'sku-b', quantity: 1 },
      ],
      catalog,
    );

    expect(result).toEqual({
      ok: true,
      value: {
        lines: [
          { sku: 'sku-a', quantity: 3, unitPriceCents: 250, lineCents: 750 },
          { sku: 'sku-b', quantity: 1, unitPriceCents: 1999, lineCents: 1999 },
        ],
        totalCents: 2749,
      },
    });
  });

  it('refuses an order with a SKU missing from the catalogue', () => {
    expect(priceOrder([{ sku: 'sku-x', quantity: 1 }], catalog)).toEqual({
      ok: false,
      code: 'unknownSku',
      reason: "SKU 'sku-x' is not in the catalogue",
    });
  });

  it('merges repeated SKUs so each is reserved once', () => {
    expect(
      mergeItems([
        { sku: 'sku-a', quantity: 1 },
        { sku: 'sku-b', quantity: 2 },
        { sku: 'sku-a', quantity: 4 },
      ]),
    ).toEqual([
      { sku: 'sku-a', quantity: 5 },
      { sku: 'sku-b', quantity: 2 },
    ]);
  });
});

describe('order rules', () => {
  it('allows a quantity up to the available stock and refuses one more', () => {
    expect(checkStock('sku-a', 5, 5)).toEqual({ ok: true, value: { remaining: 0 } });
    expect(checkStock('sku-a', 6, 5)).toEqual({
      ok: false,
      code: 'outOfStock',
      reason: "SKU 'sku-a': requested 6, only 5 available",
    });
  });

  it('declines a charge beyond the remaining credit', () => {
    expect(checkCredit('c-1', { creditLimitCents: 1000, balanceCents: 400 }, 600)).toEqual({
      ok: true,
      value: { balanceCents: 1000 },
    });
    expect(checkCredit('c-1', { creditLimitCents: 1000, balanceCents: 400 }, 601)).toEqual({
      ok: false,
      code: 'paymentDeclined',
      reason: "customer 'c-1': charge of 6.01 exceeds remaining credit of 6.00",
    });
  });

  it('refuses shipping to a refused country whatever its case', () => {
    expect(checkShippable('c-1', { country: 'aq' }, ['AQ']).ok).toBe(false);
    expect(checkShippable('c-1', { country: 'NL' }, ['AQ']).ok).toBe(true);
  });

  it('formats cents as a currency amount', () => {
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(-1234)).toBe('-12.34');
  });

  it('reports progress as the share of forward steps completed', () => {
    expect(toOrderProgress('createShipment', ['reserveInventory', 'chargePayment'])).toEqual({
      step: 'createShipment',
      completedSteps: ['reserveInventory', 'chargePayment'],
      progress: 50,
    });
  });
});
