import type { EntityRequest } from '../../src/durable/replay/decisions';
import {
  applyRelease,
  forgetOldReleases,
  fromSchedulerText,
  mayDequeue,
  releaseMemoryMs,
  toSchedulerText,
  wasReleased,
} from '../../src/durable/entities/schedulerState';

const lockRequest = (id: string, parent: string): EntityRequest => ({
  id,
  op: 'lock',
  parent,
  lockset: ['@account@a', '@account@b'],
  position: 1,
});
const release = (id: string, parent: string): EntityRequest => ({ id, op: 'release', release: true, parent });
const operation = (id: string, parent?: string): EntityRequest => ({ id, op: 'add', input: '1', parent });

describe('entity scheduler state', () => {
  it('round-trips through the row text, and an idle scheduler stores nothing', () => {
    const state = { lockedBy: 'orch-1', queue: [operation('op-1')], released: { 'lock-9': 1_000 } };

    expect(fromSchedulerText(toSchedulerText(state))).toEqual(state);
    expect(toSchedulerText({ queue: [], released: {} })).toBeUndefined();
    expect(fromSchedulerText(undefined)).toEqual({ queue: [], released: {} });
    expect(fromSchedulerText('not json')).toEqual({ queue: [], released: {} });
  });

  it('lets only the lock holder run while the entity is locked', () => {
    expect(mayDequeue({ lockedBy: 'orch-1', queue: [operation('op-1', 'orch-2')], released: {} })).toBe(false);
    expect(mayDequeue({ lockedBy: 'orch-1', queue: [operation('op-1', 'orch-1')], released: {} })).toBe(true);
    expect(mayDequeue({ queue: [operation('op-1')], released: {} })).toBe(true);
    expect(mayDequeue({ queue: [], released: {} })).toBe(false);
  });

  it('unlocks on a release from the holder without remembering it', () => {
    const state = { lockedBy: 'orch-1', queue: [], released: {} };

    expect(applyRelease(state, release('lock-1', 'orch-1'), 0)).toBe('unlocked');
    expect(state).toEqual({ queue: [], released: {} });
  });

  it('drops a queued or later lock request that its orchestration released before the grant', () => {
    const state = {
      lockedBy: 'orch-1',
      queue: [lockRequest('lock-2', 'orch-2'), operation('op-1')],
      released: {} as Record<string, number>,
    };

    expect(applyRelease(state, release('lock-2', 'orch-2'), 5)).toBe('forgotten');
    expect(state.queue).toEqual([operation('op-1')]);
    expect(wasReleased(state, lockRequest('lock-2', 'orch-2'))).toBe(true);
    expect(wasReleased(state, lockRequest('lock-3', 'orch-3'))).toBe(false);
    expect(wasReleased(state, operation('lock-2'))).toBe(false);
  });

  it('forgets releases once the reorder window has passed', () => {
    const state = { queue: [], released: { old: 0, recent: releaseMemoryMs } };

    forgetOldReleases(state, releaseMemoryMs + 1);

    expect(state.released).toEqual({ recent: releaseMemoryMs });
  });
});
