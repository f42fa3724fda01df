import { parseOrderMessage, validateOrderMessage } from '../../lib/orderSchema';

const valid = { orderId: 'o-1', customerId: 'c-alice', items: [{ sku: 'sku-widget', quantity: 2 }] };

describe('parseOrderMessage', () => {
  it('accepts a minimal order and defaults correlationId to the order id and priority to normal', () => {
    const result = parseOrderMessage(JSON.stringify(valid));

    expect(result).toEqual({ ok: true, order: { ...valid, correlationId: 'o-1', priority: 'normal' } });
  });

  it('keeps the optional reply fields, correlation id and priority', () => {
    const message = {
      ...valid,
      replyTo: 'order-replies-sessions',
      replyToSessionId: 'session-7',
      correlationId: 'corr-9',
      priority: 'high',
    };

    const result = parseOrderMessage(JSON.stringify(message));

    expect(result).toEqual({ ok: true, order: message });
  });

  it('rejects text that is not JSON, saying JSON was expected and what arrived', () => {
    const result = parseOrderMessage('hello there');

    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^expected JSON, received hello there/);
  });

  it('rejects a JSON array, naming the expected object', () => {
    const result = parseOrderMessage('[1,2]');

    expect(!result.ok && result.reason).toBe('expected a JSON object, received [1,2]');
  });

  it('names the path, the expectation and the received value of a wrong field', () => {
    const result = validateOrderMessage({ ...valid, items: [{ sku: 'sku-widget', quantity: -3 }] });

    expect(!result.ok && result.reason).toBe('at items[0].quantity: expected a quantity of at least 1, received -3');
  });

  it('reports every missing required field', () => {
    const result = validateOrderMessage({ orderId: 'o-2' });

    expect(!result.ok && result.reason).toContain('at customerId: expected a string customer id, received nothing');
    expect(!result.ok && result.reason).toContain('at items: expected an array of {sku, quantity}, received nothing');
  });

  it('refuses ids that could not be used in instance ids or table keys', () => {
    const result = validateOrderMessage({ ...valid, orderId: 'a/b#c' });

    expect(!result.ok && result.reason).toMatch(/^at orderId: expected an order id of letters, digits/);
  });

  it('refuses an unknown priority', () => {
    const result = validateOrderMessage({ ...valid, priority: 'urgent' });

    expect(!result.ok && result.reason).toBe(`at priority: expected 'high' or 'normal', received "urgent"`);
  });
});
