import { AppSettings } from '../../../src/config/appSettings';
import { ConfigurationError } from '../../../src/errors';
import { isValidQueueName, poisonQueueName, resolveQueueName } from '../../../src/triggers/queue/queueName';

const where = { functionName: 'orders', property: 'queueName' };

describe('queue names', () => {
  it('accepts 3-63 lowercase letters, digits and single hyphens between letters or digits', () => {
    expect(['abc', 'orders-1', 'a1b', 'x'.repeat(63)].every(isValidQueueName)).toBe(true);
    expect(['ab', 'x'.repeat(64), '-abc', 'abc-', 'a--b', 'a_b', 'Abc'].some(isValidQueueName)).toBe(false);
  });

  it('resolves %Setting% and lower-cases before checking', () => {
    const settings = new AppSettings({ OrdersQueue: 'Orders-In' });

    expect(resolveQueueName('%OrdersQueue%', settings, where)).toBe('orders-in');
  });

  it('names the function, the property and the offending name when invalid', () => {
    const error = catchError(() => resolveQueueName('bad--name', new AppSettings({}), where));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(/^Function 'orders': 'queueName' is 'bad--name', which is not a valid queue name\./);
  });

  it('rejects a missing queue name', () => {
    expect(catchError(() => resolveQueueName(undefined, new AppSettings({}), where)).message).toBe(
      "Function 'orders': 'queueName' must name a queue, but is undefined.",
    );
  });

  it('has a poison queue unless the queue is one or the name would be too long', () => {
    expect(poisonQueueName('orders')).toBe('orders-poison');
    expect(poisonQueueName('orders-poison')).toBeUndefined();
    expect(poisonQueueName('x'.repeat(60))).toBeUndefined();
  });
});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
