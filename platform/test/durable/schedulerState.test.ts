import type { EntityRequest } from '../../src/durable/replay/decisions';
import {
  applyRelease,
  forgetOldReleases,
  fromSchedulerText,
  isKnownRequest,
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

  it('unlocks on a release from the holder and remembers it, so the lock request arriving again is dropped', () => {
    const state = { lockedBy: 'orch-1', lockRequestId: 'lock-1', queue: [], released: {} };

    expect(applyRelease(state, release('lock-1', 'orch-1'), 7)).toBe('unlocked');
    expect(state).toEqual({ queue: [], released: { 'lock-1': 7 } });
    expect(wasReleased(state, lockRequest('lock-1', 'orch-1'))).toBe(true);
  });

  it('keeps the lock when a release of an earlier lock of the same orchestration arrives again', () => {
    const state = { lockedBy: 'orch-1', lockRequestId: 'lock-2', queue: [], released: { 'lock-1': 1 } };

    expect(applyRelease(state, release('lock-1', 'orch-1'), 9)).toBe('forgotten');
    expect(state).toMatchObject({ lockedBy: 'orch-1', lockRequestId: 'lock-2' });
  });

  it('recognises a request it already has: queued, or the lock request holding the lock', () => {
    const state = { lockedBy: 'orch-1', lockRequestId: 'lock-1', queue: [operation('op-1')], released: {} };

    expect(isKnownRequest(state, operation('op-1'))).toBe(true);
    expect(isKnownRequest(state, lockRequest('lock-1', 'orch-1'))).toBe(true);
    expect(isKnownRequest(state, operation('op-2'))).toBe(false);
    expect(isKnownRequest(state, lockRequest('lock-2', 'orch-1'))).toBe(false);
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
