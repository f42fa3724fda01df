import { withKeyedLock } from '../../lib/keyedLock';

describe('withKeyedLock', () => {
  it('runs calls with the same key one after another, in call order', async () => {
    const events: string[] = [];
    const step = (name: string) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`${name} end`);
      return name;
    };

    const results = await Promise.all([withKeyedLock('a', step('one')), withKeyedLock('a', step('two'))]);

    expect(results).toEqual(['one', 'two']);
    expect(events).toEqual(['one start', 'one end', 'two start', 'two end']);
  });

  it('lets a failed call release the key for the next one', async () => {
    const failing = withKeyedLock('b', () => Promise.reject(new Error('boom')));
    const next = withKeyedLock('b', () => Promise.resolve('ran'));

    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });

  it('runs calls with different keys side by side', async () => {
    const events: string[] = [];
    let release: () => void = () => undefined;
    const blocked = withKeyedLock('c', () => new Promise<void>((resolve) => (release = resolve)));

    await withKeyedLock('d', () => Promise.resolve(events.push('d ran')));
    release();
    await blocked;

    expect(events).toEqual(['d ran']);
  });
});
