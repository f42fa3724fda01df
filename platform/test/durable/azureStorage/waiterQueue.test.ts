import { WaiterQueue } from '../../../src/durable/backend/azureStorage/messaging/waiterQueue';

describe('WaiterQueue', () => {
  it('serves waiters first come first served and says when nobody waits', async () => {
    const queue = new WaiterQueue<string>();
    const first = queue.wait(new AbortController().signal);
    const second = queue.wait(new AbortController().signal);

    expect(queue.serve('a')).toBe(true);
    expect(queue.serve('b')).toBe(true);
    expect(queue.serve('c')).toBe(false);
    expect([await first, await second]).toEqual(['a', 'b']);
  });

  it('lets a waiter whose signal aborts leave with undefined, without taking an item', async () => {
    const queue = new WaiterQueue<string>();
    const controller = new AbortController();
    const leaving = queue.wait(controller.signal);
    const staying = queue.wait(new AbortController().signal);

    controller.abort();
    queue.serve('kept');

    expect(await leaving).toBeUndefined();
    expect(await staying).toBe('kept');
    expect(queue.length).toBe(0);
  });

  it('resolves every waiter with undefined when closed', async () => {
    const queue = new WaiterQueue<number>();
    const waiting = [queue.wait(new AbortController().signal), queue.wait(new AbortController().signal)];

    queue.close();

    expect(await Promise.all(waiting)).toEqual([undefined, undefined]);
  });
});
