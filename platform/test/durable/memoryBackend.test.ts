import type { Clock } from '../../src/clock/clock';
import { VirtualClock } from '../../src/clock/virtualClock';
import { MemoryBackend } from '../../src/durable/backend/memory/memoryBackend';
import type { OrchestrationWorkItem } from '../../src/durable/backend/types';
import { timerFired } from '../../src/durable/replay/historyEvents';
import { describeBackendContract } from './backendContract';

describeBackendContract('the in-memory backend', () => {
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'));
  return Promise.resolve({
    backend: new MemoryBackend({ hubName: 'ContractHub', clock }),
    now: () => clock.now(),
    passTime: (ms: number) => clock.advance(ms),
    dispose: () => Promise.resolve(),
  });
});

describe('the in-memory backend with timers that fire early', () => {
  it('still delivers a durable timer when its wake-up arrives before the message is visible', async () => {
    // Node's setTimeout can fire before Date.now() reaches the due time; this clock fires every timer early.
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock: Clock = {
      now: () => now,
      sleep: () => new Promise(() => undefined),
      schedule: (_ms, callback) => {
        const timer = setTimeout(callback, 0);
        return () => clearTimeout(timer);
      },
    };
    const backend = new MemoryBackend({ hubName: 'EarlyHub', clock });
    await backend.start();
    await backend.sendOrchestrationMessages([
      {
        instanceId: 'timer-1',
        event: timerFired(new Date(now), 0, new Date(now).toISOString()),
        deliverAt: now + 1_000,
      },
    ]);

    expect(await backend.lockNextOrchestrationWorkItem(AbortSignal.timeout(100))).toBeUndefined();
    now += 1_000;
    const due = await backend.lockNextOrchestrationWorkItem(AbortSignal.timeout(2_000));

    expect(due?.instanceId).toBe('timer-1');
    await backend.stop();
  });

  it('does not spin when a hidden message comes due while it looks for work', async () => {
    // Time moves a millisecond on every reading, so for one of these delays the message is hidden when the
    // backend looks at it and due when it puts the instance back on the ready list. A backend that loops over
    // that list again and again reads the clock without end; this clock stops it with an error instead.
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let delayMs = 1; delayMs <= 20; delayMs++) {
      let now = start;
      let readings = 0;
      const clock: Clock = {
        now: () => {
          if (++readings > 10_000) {
            throw new Error(`The backend read the clock 10,000 times with a ${delayMs} ms delay: it is spinning.`);
          }
          return now++;
        },
        sleep: () => new Promise(() => undefined),
        schedule: (_ms, callback) => {
          const timer = setTimeout(callback, 0);
          return () => clearTimeout(timer);
        },
      };
      const backend = new MemoryBackend({ hubName: 'MovingHub', clock });
      await backend.start();
      await backend.sendOrchestrationMessages([
        {
          instanceId: 'timer-2',
          event: timerFired(new Date(start), 0, new Date(start).toISOString()),
          deliverAt: now + delayMs,
        },
      ]);

      // As a dispatcher loop does: a wake-up can come before the message is visible, then it asks again.
      let taken: OrchestrationWorkItem | undefined;
      for (let attempt = 0; attempt < 50 && !taken; attempt++) {
        taken = await backend.lockNextOrchestrationWorkItem(AbortSignal.timeout(1_000));
      }

      expect(taken?.instanceId).toBe('timer-2');
      await backend.stop();
    }
  });
});
