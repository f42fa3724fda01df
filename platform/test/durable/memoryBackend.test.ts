import { VirtualClock } from '../../src/clock/virtualClock';
import { MemoryBackend } from '../../src/durable/backend/memory/memoryBackend';
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
