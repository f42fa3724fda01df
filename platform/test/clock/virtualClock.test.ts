import { VirtualClock } from '../../src/clock/virtualClock';

describe('VirtualClock', () => {
  it('fires timers in due order when time advances past them', async () => {
    const clock = new VirtualClock(0);
    const fired: string[] = [];
    clock.schedule(300, () => fired.push('late'));
    clock.schedule(100, () => fired.push('early'));

    await clock.advance(200);
    expect(fired).toEqual(['early']);

    await clock.advance(200);
    expect(fired).toEqual(['early', 'late']);
    expect(clock.now()).toBe(400);
  });

  it('runs follow-up sleeps that fall within the same advance', async () => {
    const clock = new VirtualClock(0);
    const steps: number[] = [];
    const chain = (async () => {
      await clock.sleep(7 * 24 * 3600 * 1000);
      steps.push(clock.now());
      await clock.sleep(1000);
      steps.push(clock.now());
    })();

    await clock.advance(8 * 24 * 3600 * 1000);
    await chain;

    expect(steps).toEqual([604_800_000, 604_801_000]);
  });

  it('rejects a sleep whose signal aborts', async () => {
    const clock = new VirtualClock(0);
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);

    controller.abort(new Error('stop'));

    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingTimers).toBe(0);
  });
});
