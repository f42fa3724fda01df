import type { Clock } from '../../../../clock/clock';
import type { Logger } from '../../../../host/logger';
import { PollBackoff } from './backoff';
import type { DequeuedMessage, TaskHubQueue } from './taskHubQueue';
import { WakeSignal } from './wakeSignal';
import { WaiterQueue } from './waiterQueue';

/** How the work-item poller behaves. */
export interface WorkItemPollerOptions {
  readonly queue: TaskHubQueue;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly visibilityTimeoutMs: number;
  readonly maxPollingIntervalMs: number;
  /** Most messages received in one call and held before a dispatcher asks for them. */
  readonly prefetch: number;
}

/**
 * Receives activity messages from the work-item queue for whichever dispatcher asks (competing consumers across
 * host processes). It receives only while dispatchers are waiting, so held messages do not sit out their lock.
 */
export class WorkItemPoller {
  readonly #wake: WakeSignal;
  readonly #stop = new AbortController();
  readonly #backoff: PollBackoff;
  readonly #buffer: DequeuedMessage[] = [];
  readonly #waiters = new WaiterQueue<DequeuedMessage>();
  #loop: Promise<void> | undefined;

  constructor(private readonly options: WorkItemPollerOptions) {
    this.#wake = new WakeSignal(options.clock);
    this.#backoff = new PollBackoff(options.maxPollingIntervalMs);
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    this.#wake.wake();
    this.#waiters.close();
    await this.#loop;
  }

  /** Looks at the queue now: this process just sent an activity message. */
  wake(): void {
    this.#backoff.reset();
    this.#wake.wake();
  }

  /** Waits for the next activity message; undefined when the signal aborts or the poller stops. */
  take(signal: AbortSignal): Promise<DequeuedMessage | undefined> {
    const ready = this.#buffer.shift();
    if (ready || signal.aborted || this.#stop.signal.aborted) {
      return Promise.resolve(ready);
    }
    const taken = this.#waiters.wait(signal);
    this.#wake.wake();
    return taken;
  }

  /** Messages waiting for a dispatcher. */
  get bufferedCount(): number {
    return this.#buffer.length;
  }

  /** Hands over a message this process sent and claimed, as if it had been received. */
  inject(message: DequeuedMessage): void {
    if (!this.#waiters.serve(message)) {
      this.#buffer.push(message);
    }
  }

  /** Messages received but not taken, released at shutdown so another host can run them. */
  drainBuffer(): DequeuedMessage[] {
    return this.#buffer.splice(0);
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      if (this.#waiters.length === 0 || this.#buffer.length > 0) {
        await this.#wake.wait(this.options.maxPollingIntervalMs, signal);
        continue;
      }
      let received = 0;
      try {
        received = await this.#poll();
      } catch (error) {
        this.options.logger.warn('Work-item queue poll failed', {
          queue: this.options.queue.name,
          error: String(error),
        });
      }
      if (received === 0) {
        await this.#wake.wait(this.#backoff.next(), signal);
      } else {
        this.#backoff.reset();
      }
    }
  }

  async #poll(): Promise<number> {
    const { queue } = this.options;
    const count = Math.min(32, Math.max(1, this.options.prefetch));
    const { messages, unreadable } = await queue.receive(count, this.options.visibilityTimeoutMs);
    for (const bad of unreadable) {
      this.options.logger.error('Unreadable work-item message moved to the poison queue', {
        queue: bad.queue,
        messageId: bad.messageId,
        reason: bad.reason,
      });
      await queue.poison(bad);
    }
    for (const message of messages) {
      this.inject(message);
    }
    return messages.length + unreadable.length;
  }
}
