import type { EntityRequest } from '../replay/decisions';

/**
 * An entity's scheduler state between batches (DTFx `SchedulerState`): who holds its lock and the requests that
 * wait, in arrival order. Kept in the entity's Instances row as `customStatus` JSON, since entities have no custom
 * status of their own.
 */
export interface SchedulerState {
  /** Instance id of the orchestration that holds the lock. */
  lockedBy?: string;
  /** Requests not run yet: behind the lock of another orchestration, or beyond the batch size limit. */
  queue: EntityRequest[];
  /**
   * Lock requests released before they were granted here (request id → host-clock ms of the release). A request
   * that arrives later is dropped instead of locking the entity for an orchestration that has ended.
   */
  released: Record<string, number>;
}

/**
 * How long a release is remembered for a lock request that has not arrived: the extension's default entity
 * message reorder window (`EntityMessageReorderWindowInMinutes`, 30), within which it expects late messages.
 */
export const releaseMemoryMs = 30 * 60_000;

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
      queue: Array.isArray(parsed.queue) ? parsed.queue : [],
      released: typeof parsed.released === 'object' && parsed.released !== null ? parsed.released : {},
    };
  } catch {
    return idle;
  }
}

/** The `customStatus` to store, or undefined when the scheduler is idle (nothing locked, queued or remembered). */
export function toSchedulerText(state: SchedulerState): string | undefined {
  const idle = state.lockedBy === undefined && state.queue.length === 0 && Object.keys(state.released).length === 0;
  return idle ? undefined : JSON.stringify(state);
}

/** The next request may run now: there is one, and the lock is free or held by its sender (DTFx `MayDequeue`). */
export function mayDequeue(state: SchedulerState): boolean {
  const next = state.queue[0];
  return next !== undefined && (state.lockedBy === undefined || state.lockedBy === next.parent);
}

/**
 * Applies a lock release. From the holder it frees the entity. From anyone else it means the orchestration ended
 * before its lock request was granted here: the request is taken out of the queue, or remembered so that it is
 * dropped when it arrives.
 */
export function applyRelease(state: SchedulerState, release: EntityRequest, now: number): 'unlocked' | 'forgotten' {
  if (state.lockedBy !== undefined && state.lockedBy === release.parent) {
    state.lockedBy = undefined;
    return 'unlocked';
  }
  state.queue = state.queue.filter((queued) => !(queued.lockset && queued.id === release.id));
  state.released[release.id] = now;
  return 'forgotten';
}

/** True for a lock request whose orchestration already released it. */
export function wasReleased(state: SchedulerState, request: EntityRequest): boolean {
  return request.lockset !== undefined && state.released[request.id] !== undefined;
}

/** Forgets releases older than the window; a lock request that late is not expected any more. */
export function forgetOldReleases(state: SchedulerState, now: number): void {
  for (const [id, at] of Object.entries(state.released)) {
    if (now - at > releaseMemoryMs) {
      delete state.released[id];
    }
  }
}
