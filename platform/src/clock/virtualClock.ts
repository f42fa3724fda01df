import type { Clock } from './clock';

interface PendingTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

/**
 * A clock that moves only when told. `advance` fires every timer that falls due, in due order, letting the
 * promise jobs each one starts run before the next fires, so a seven-day durable timer completes at once.
 */
export class VirtualClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers: PendingTimer[] = [];

  constructor(start: Date | number = Date.now()) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  schedule(ms: number, callback: () => void): () => void {
    const timer = { id: this.#nextId++, dueAt: this.#now + Math.max(0, ms), callback };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t.id !== timer.id);
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const cancel = this.schedule(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = () => {
        cancel();
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Number of timers waiting to fire. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing due timers in order and settling the work each one starts. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await settle();
      const next = this.#earliest();
      if (!next || next.dueAt > target) {
        break;
      }
      this.#timers = this.#timers.filter((t) => t.id !== next.id);
      this.#now = Math.max(this.#now, next.dueAt);
      next.callback();
    }
    this.#now = target;
    await settle();
  }

  /** Moves time to the next pending timer and fires it; false when nothing is pending. */
  async advanceToNext(): Promise<boolean> {
    await settle();
    const next = this.#earliest();
    if (!next) {
      return false;
    }
    await this.advance(Math.max(0, next.dueAt - this.#now));
    return true;
  }

  #earliest(): PendingTimer | undefined {
    return this.#timers.reduce<PendingTimer | undefined>(
      (best, t) => (!best || t.dueAt < best.dueAt || (t.dueAt === best.dueAt && t.id < best.id) ? t : best),
      undefined,
    );
  }
}

/** Lets queued promise jobs and I/O callbacks run before the next timer fires. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
