import type { Clock } from '../../../clock/clock';

/**
 * Dispatcher loops parked until work may be available. The backend wakes one loop per message that becomes
 * visible, at once or at its delivery time on the host clock, so a virtual clock's `advance` releases durable
 * timers without polling.
 */
export class Waiters {
  readonly #clock: Clock;
  #parked = new Set<() => void>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Resolves on the next wake-up, when the signal aborts, or at `dueAt` (host-clock epoch ms) if given. */
  wait(signal: AbortSignal, dueAt?: number): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      let cancelTimer: (() => void) | undefined;
      const done = () => {
        this.#parked.delete(done);
        signal.removeEventListener('abort', done);
        cancelTimer?.();
        resolve();
      };
      this.#parked.add(done);
      signal.addEventListener('abort', done, { once: true });
      if (dueAt !== undefined) {
        cancelTimer = this.#clock.schedule(Math.max(0, dueAt - this.#clock.now()), done);
      }
    });
  }

  /** Wakes one parked loop. */
  wakeOne(): void {
    const first = this.#parked.values().next();
    if (!first.done) {
      first.value();
    }
  }

  /** Wakes every parked loop. */
  wakeAll(): void {
    for (const wake of [...this.#parked]) {
      wake();
    }
  }
}
