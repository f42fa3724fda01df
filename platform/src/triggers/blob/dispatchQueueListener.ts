import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { Clock } from '../../clock/clock';
import type { Logger } from '../../host/logger';

/** A received dispatch message as the handler sees it. */
export interface DispatchMessage {
  readonly messageId: string;
  readonly text: string;
  readonly dequeueCount: number;
}

/** `complete` deletes the message (done, poisoned or undecodable); `release` makes it visible again for a retry. */
export type DispatchResult = 'complete' | 'release';

/** How the dispatch queue is read. */
export interface DispatchQueueListenerOptions {
  readonly queue: QueueClient;
  /** Messages handled at once: host.json `extensions.blobs.maxDegreeOfParallelism`. */
  readonly concurrency: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly handle: (message: DispatchMessage) => Promise<DispatchResult>;
}

/** Messages are hidden this long while handled and renewed at half of it. */
const visibilitySeconds = 60;
const minPollMs = 100;
/** Longest wait between polls of an empty queue; another host's messages are seen within this time. */
const maxPollMs = 1_000;

/**
 * Receives blob-trigger messages from `azure-webjobs-blobtrigger-<hostId>` on every host, keeps each hidden
 * while its invocation runs, and deletes or releases it by the handler's answer. Kept small and specific to
 * the dispatch queue; queue triggers have their own listener.
 */
export class DispatchQueueListener {
  readonly #options: DispatchQueueListenerOptions;
  readonly #stop = new AbortController();
  readonly #running = new Set<Promise<void>>();
  #wake = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(options: DispatchQueueListenerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#loop = this.#run();
  }

  /** Polls at once: this host just enqueued a message. */
  kick(): void {
    this.#wake.abort();
  }

  stop(): void {
    this.#stop.abort(new Error('The blob dispatch listener is stopping.'));
  }

  async dispose(): Promise<void> {
    this.stop();
    await this.#loop;
    await Promise.allSettled([...this.#running]);
  }

  async #run(): Promise<void> {
    let delayMs = minPollMs;
    while (!this.#stop.signal.aborted) {
      const free = this.#options.concurrency - this.#running.size;
      if (free <= 0) {
        await Promise.race(this.#running);
        continue;
      }
      const received = await this.#receive(Math.min(32, free));
      received.forEach((message) => this.#track(this.#process(message)));
      delayMs = received.length > 0 ? minPollMs : Math.min(maxPollMs, delayMs * 2);
      if (received.length === 0 && !(await this.#idle(delayMs))) {
        return;
      }
    }
  }

  async #receive(count: number): Promise<DequeuedMessageItem[]> {
    try {
      const response = await this.#options.queue.receiveMessages({
        numberOfMessages: count,
        visibilityTimeout: visibilitySeconds,
      });
      return response.receivedMessageItems;
    } catch (error) {
      this.#options.logger.warn('Blob dispatch queue could not be read', {
        queue: this.#options.queue.name,
        error: (error as Error).message,
      });
      return [];
    }
  }

  /** Waits for the poll delay or a kick; false when stopping. */
  async #idle(delayMs: number): Promise<boolean> {
    this.#wake = new AbortController();
    try {
      await this.#options.clock.sleep(delayMs, AbortSignal.any([this.#stop.signal, this.#wake.signal]));
    } catch {
      // Woken early by a kick, or stopping.
    }
    return !this.#stop.signal.aborted;
  }

  #track(work: Promise<void>): void {
    this.#running.add(work);
    void work.finally(() => this.#running.delete(work));
  }

  async #process(item: DequeuedMessageItem): Promise<void> {
    const { queue, logger, handle } = this.#options;
    const hidden = new HiddenMessage(item, this.#options);
    let result: DispatchResult = 'release';
    try {
      result = await handle({ messageId: item.messageId, text: item.messageText, dequeueCount: item.dequeueCount });
    } catch (error) {
      logger.error('Blob dispatch message handling failed', {
        messageId: item.messageId,
        error: (error as Error).message,
      });
    }

    const popReceipt = await hidden.end();
    try {
      if (result === 'complete') {
        await queue.deleteMessage(item.messageId, popReceipt);
      } else {
        await queue.updateMessage(item.messageId, popReceipt, undefined, 0);
      }
    } catch (error) {
      logger.warn('Blob dispatch message could not be settled', {
        messageId: item.messageId,
        error: (error as Error).message,
      });
    }
  }
}

/** Keeps one received message invisible while it is handled, tracking its latest pop receipt. */
class HiddenMessage {
  readonly #done = new AbortController();
  readonly #renewals: Promise<void>;
  #popReceipt: string;

  constructor(
    private readonly item: DequeuedMessageItem,
    private readonly options: DispatchQueueListenerOptions,
  ) {
    this.#popReceipt = item.popReceipt;
    this.#renewals = this.#renew().catch((error: unknown) =>
      options.logger.warn('Blob dispatch message visibility not renewed', {
        messageId: item.messageId,
        error: (error as Error).message,
      }),
    );
  }

  /** Stops renewing, waits for a renewal in flight, and returns the pop receipt to settle the message with. */
  async end(): Promise<string> {
    this.#done.abort();
    await this.#renewals;
    return this.#popReceipt;
  }

  async #renew(): Promise<void> {
    for (;;) {
      try {
        await this.options.clock.sleep((visibilitySeconds * 1000) / 2, this.#done.signal);
      } catch {
        return;
      }
      const response = await this.options.queue.updateMessage(
        this.item.messageId,
        this.#popReceipt,
        undefined,
        visibilitySeconds,
      );
      this.#popReceipt = response.popReceipt ?? this.#popReceipt;
      this.options.logger.trace('Blob dispatch message visibility renewed', { messageId: this.item.messageId });
    }
  }
}
