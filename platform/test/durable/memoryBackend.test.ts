import type { Clock } from '../../src/clock/clock';
import { VirtualClock } from '../../src/clock/virtualClock';
import { MemoryBackend } from '../../src/durable/backend/memory/memoryBackend';
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
});
