import type { EntityRequest } from '../replay/decisions';
import { isEmptySorter, reorderWindowMs, type MessageSorterState } from './messageSorter';

/**
 * An entity's scheduler state between batches (DTFx `SchedulerState`): who holds its lock and the requests that
 * wait, in arrival order. Kept in the entity's Instances row as `customStatus` JSON, since entities have no custom
 * status of their own.
 */
export interface SchedulerState {
  /** Instance id of the orchestration that holds the lock. */
  lockedBy?: string;
  /** Id of the lock request that holds the lock, so that a repeated grant or a stale release is recognised. */
  lockRequestId?: string;
  /** Requests not run yet: behind the lock of another orchestration, or beyond the batch size limit. */
  queue: EntityRequest[];
  /**
   * Lock requests released before they were granted here (request id → host-clock ms of the release). A request
   * that arrives later is dropped instead of locking the entity for an orchestration that has ended.
   */
  released: Record<string, number>;
  /** Ordering and duplicate filtering of the requests of orchestrations and entities (DTFx `MessageSorter`). */
  sorter?: MessageSorterState<EntityRequest>;
}

/**
 * How long a release is remembered for a lock request that has not arrived, or arrives again: the extension's
 * default entity message reorder window (`EntityMessageReorderWindowInMinutes`, 30), within which it expects late
 * messages.
 */
export const releaseMemoryMs = reorderWindowMs;

/** Reads the state from the row's `customStatus`; a missing or unreadable value is an idle scheduler. */
export function fromSchedulerText(text: string | undefined): SchedulerState {
  const idle: SchedulerState = { queue: [], released: {} };
  if (!text) {
    return idle;
  }
  try {
    const parsed = JSON.parse(text) as Partial<SchedulerState>;
    return {
      ...(typeof parsed.lockedBy === 'string' ? { lockedBy: parsed.lockedBy } : {}),
      ...(typeof parsed.lockRequestId === 'string' ? { lockRequestId: parsed.lockRequestId } : {}),
      queue: Array.isArray(parsed.queue) ? parsed.queue : [],
      released: typeof parsed.released === 'object' && parsed.released !== null ? parsed.released : {},
      ...(typeof parsed.sorter === 'object' && parsed.sorter !== null ? { sorter: parsed.sorter } : {}),
    };
  } catch {
    return idle;
  }
}

/** The `customStatus` to store, or undefined when the scheduler is idle (nothing locked, queued or remembered). */
export function toSchedulerText(state: SchedulerState): string | undefined {
  const idle =
    state.lockedBy === undefined &&
    state.queue.length === 0 &&
    Object.keys(state.released).length === 0 &&
    (state.sorter === undefined || isEmptySorter(state.sorter));
  return idle ? undefined : JSON.stringify(state);
}

/** The next request may run now: there is one, and the lock is free or held by its sender (DTFx `MayDequeue`). */
export function mayDequeue(state: SchedulerState): boolean {
  const next = state.queue[0];
  return next !== undefined && (state.lockedBy === undefined || state.lockedBy === next.parent);
}

/**
 * Applies a lock release. From the holder, for the lock it holds, it frees the entity. Otherwise it is a release
 * delivered again after a later lock, or the orchestration ended before its lock request was granted here: a
 * queued request of that lock is taken out. Either way the release is remembered, so that its lock request is
 * dropped should it arrive (again) later.
 */
export function applyRelease(state: SchedulerState, release: EntityRequest, now: number): 'unlocked' | 'forgotten' {
  if (release.id) {
    state.released[release.id] = now;
  }
  const sameLock = !release.id || state.lockRequestId === undefined || state.lockRequestId === release.id;
  if (state.lockedBy !== undefined && state.lockedBy === release.parent && sameLock) {
    state.lockedBy = undefined;
    state.lockRequestId = undefined;
    return 'unlocked';
  }
  state.queue = state.queue.filter((queued) => !(queued.lockset && queued.id === release.id));
  return 'forgotten';
}

/** True for a lock request whose orchestration already released it. */
export function wasReleased(state: SchedulerState, request: EntityRequest): boolean {
  return request.lockset !== undefined && state.released[request.id] !== undefined;
}

/**
 * True for a request this entity already has: queued under the same id, or the lock request that holds the lock.
 * These are messages delivered again that the message sorter lets through (client signals, forwarded lock
 * requests).
 */
export function isKnownRequest(state: SchedulerState, request: EntityRequest): boolean {
  const holdsLock = request.lockset !== undefined && state.lockRequestId === request.id;
  return holdsLock || state.queue.some((queued) => queued.id === request.id);
}

/** Forgets releases older than the window; a lock request that late is not expected any more. */
export function forgetOldReleases(state: SchedulerState, now: number): void {
  for (const [id, at] of Object.entries(state.released)) {
    if (now - at > releaseMemoryMs) {
      delete state.released[id];
    }
  }
}
