import type { Clock } from '../../../../clock/clock';
import type { Logger } from '../../../../host/logger';
import { PollBackoff } from './backoff';
import type { OrchestrationSessions } from './orchestrationSessions';
import type { DequeuedMessage, TaskHubQueue } from './taskHubQueue';
import { WakeSignal } from './wakeSignal';

/** How a control-queue poller behaves. */
export interface ControlQueuePollerOptions {
  readonly partition: number;
  readonly queue: TaskHubQueue;
  readonly sessions: OrchestrationSessions;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly batchSize: number;
  readonly visibilityTimeoutMs: number;
  readonly maxPollingIntervalMs: number;
  /** Stop receiving while this many messages of the partition wait in the buffer. */
  readonly bufferThreshold: number;
}

// A message due more than this far ahead was sent before its time (7-day limit) and is sent again.
const earlyToleranceMs = 1000;

/**
 * Receives one owned control-queue partition into the orchestration sessions, with randomized exponential
 * back-off while the queue is empty, and an immediate look when this process sent to it.
 */
export class ControlQueuePoller {
  readonly #wake: WakeSignal;
  readonly #stop = new AbortController();
  readonly #backoff: PollBackoff;
  #loop: Promise<void> | undefined;

  constructor(private readonly options: ControlQueuePollerOptions) {
    this.#wake = new WakeSignal(options.clock);
    this.#backoff = new PollBackoff(options.maxPollingIntervalMs);
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Stops receiving and waits for the loop to end. */
  async stop(): Promise<void> {
    this.#stop.abort();
    this.#wake.wake();
    await this.#loop;
  }

  /** Looks at the queue now: this process just sent a message that is visible at once. */
  wake(): void {
    this.#backoff.reset();
    this.#wake.wake();
  }

  /** Looks at the queue when a delayed message this process sent becomes visible. */
  wakeAt(visibleAt: number): void {
    this.#wake.wakeAfter(Math.max(0, visibleAt - this.options.clock.now()) + 50);
  }

  async #run(): Promise<void> {
    const { sessions, partition, logger } = this.options;
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      if (sessions.pendingCount(partition) >= this.options.bufferThreshold) {
        await this.#wake.wait(this.#backoff.next(), signal);
        continue;
      }
      let received = 0;
      try {
        received = await this.#poll();
      } catch (error) {
        logger.warn('Control queue poll failed', { queue: this.options.queue.name, error: String(error) });
      }
      if (received === 0) {
        await this.#wake.wait(this.#backoff.next(), signal);
      } else {
        this.#backoff.reset();
      }
    }
  }

  async #poll(): Promise<number> {
    const { queue, sessions, partition, clock } = this.options;
    const { messages, unreadable } = await queue.receive(this.options.batchSize, this.options.visibilityTimeoutMs);
    for (const bad of unreadable) {
      this.options.logger.error('Unreadable control queue message moved to the poison queue', {
        queue: bad.queue,
        messageId: bad.messageId,
        reason: bad.reason,
      });
      await queue.poison(bad);
    }
    const now = clock.now();
    const early = messages.filter(
      (m) => m.message.deliverAt !== undefined && m.message.deliverAt > now + earlyToleranceMs,
    );
    await Promise.all(early.map((message) => this.#resend(message)));
    const due = messages.filter((m) => !early.includes(m));
    sessions.add(partition, due);
    return messages.length + unreadable.length;
  }

  /** Chains a message delayed beyond the 7-day visibility limit: a new copy for the rest, then the old one goes. */
  async #resend(message: DequeuedMessage): Promise<void> {
    await this.options.queue.send(message.message);
    await this.options.queue.delete(message);
  }
}
