import { jsonError, readJson } from '../../lib/http';
import { poisonQueueName, reasonKey, UnknownQueueError } from '../../lib/poison';

describe('HTTP helpers', () => {
  it('builds a JSON error with a code, a message and the ids', () => {
    expect(jsonError(404, 'JobNotFound', 'expected a job, found none', { instanceId: 'order-1' })).toEqual({
      status: 404,
      jsonBody: { error: { code: 'JobNotFound', message: 'expected a job, found none', instanceId: 'order-1' } },
    });
  });

  it('reads a JSON body or says what arrived instead', async () => {
    await expect(readJson({ text: () => Promise.resolve('{"a":1}') })).resolves.toEqual({
      ok: true,
      text: '{"a":1}',
      value: { a: 1 },
    });
    await expect(readJson({ text: () => Promise.resolve('') })).resolves.toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^expected a JSON body, received an empty body/) as string,
    });
  });
});

describe('poison bookkeeping', () => {
  it('keys a reason by source queue and message text, so the host-made poison copy finds it', () => {
    expect(reasonKey('orders', 'abc')).toEqual(reasonKey('orders', 'abc'));
    expect(reasonKey('orders', 'abc').rowKey).not.toBe(reasonKey('orders', 'abd').rowKey);
    expect(reasonKey('orders', 'abc').partitionKey).toBe('orders');
  });

  it('maps source queues to their poison queues and refuses others', () => {
    expect(poisonQueueName('orders-high')).toBe('orders-high-poison');
    expect(() => poisonQueueName('payments')).toThrow(UnknownQueueError);
    expect(() => poisonQueueName('payments')).toThrow(
      "expected one of the queues orders, orders-high, reply-retries, received 'payments'",
    );
  });
});
