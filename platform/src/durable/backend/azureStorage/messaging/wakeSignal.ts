import type { Clock } from '../../../../clock/clock';

/**
 * Lets a poll loop sleep until its back-off passes or until something wakes it: a message this process just
 * sent, a timer falling due, or shutdown.
 */
export class WakeSignal {
  #wake: (() => void) | undefined;
  #pending = false;

  constructor(private readonly clock: Clock) {}

  /** Sleeps up to `ms`; returns early when woken (or at once if woken since the last wait). */
  async wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#pending || signal.aborted) {
      this.#pending = false;
      return;
    }
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#wake = () => controller.abort();
    try {
      await this.clock.sleep(ms, controller.signal);
    } catch {
      // Woken or stopping: either way the loop looks again.
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.#wake = undefined;
      this.#pending = false;
    }
  }

  /** Wakes the loop now, or makes its next wait return at once. */
  wake(): void {
    this.#pending = true;
    this.#wake?.();
  }

  /** Wakes the loop after `ms` of the clock; the returned function cancels it. */
  wakeAfter(ms: number): () => void {
    return this.clock.schedule(ms, () => this.wake());
  }
}
