import type { QueueClient } from '@azure/storage-queue';
import { isStorageError } from '../../bindings/storageErrors';
import type { Clock } from '../../clock/clock';
import { ensureError } from '../../errors';
import type { Logger } from '../../host/logger';
import type { MessageProcessor } from './messageProcessor';
import { PollingBackoff } from './pollingBackoff';
import type { QueuesOptions } from './queueOptions';

/** Shortest wait between empty polls (storage extension `QueuePollingIntervals.Minimum`). */
const minimumPollingIntervalMs = 100;

/** What one queue trigger's listener needs. */
export interface QueueListenerOptions {
  readonly functionName: string;
  readonly queue: QueueClient;
  readonly processor: MessageProcessor;
  readonly options: QueuesOptions;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random?: () => number;
}

/**
 * Polls one queue for one function, as the storage extension's QueueListener does: receive up to `batchSize`
 * messages under the lease, process them concurrently, fetch again once in-flight messages drop to
 * `newBatchThreshold`, and back off (randomized, exponential, up to `maxPollingInterval`) after an empty poll.
 * `wake()` cuts a back-off short, as the host's shared queue watcher does when an output binding adds a message.
 */
export class QueueListener {
  readonly #o: QueueListenerOptions;
  readonly #backoff: PollingBackoff;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #stopping = new AbortController();
  readonly #stopped = abortPromise(this.#stopping.signal);
  #loop: Promise<void> | undefined;
  #queueExists: boolean | undefined;
  #warnedMissing = false;
  #woken = false;
  #wakeWait: AbortController | undefined;
  #foundSinceLastDelay = false;

  constructor(options: QueueListenerOptions) {
    this.#o = options;
    this.#backoff = new PollingBackoff({
      minimumMs: minimumPollingIntervalMs,
      maximumMs: options.options.maxPollingIntervalMs,
      random: options.random,
    });
  }

  /** The queue this listener polls. */
  get queueName(): string {
    return this.#o.queue.name;
  }

  /** Messages being processed now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Starts polling in the background. */
  start(): void {
    this.#loop ??= this.#run();
  }

  /** Polls at once instead of finishing the current back-off. */
  wake(): void {
    this.#woken = true;
    this.#wakeWait?.abort();
  }

  /** Stops fetching new messages; messages in flight keep running. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#wakeWait?.abort();
    await this.#loop;
  }

  /** Waits until every message in flight has been processed and settled. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) {
      await Promise.allSettled([...this.#inFlight]);
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopping.signal.aborted) {
      this.#woken = false;
      const found = await this.#poll();
      if (found) {
        this.#foundSinceLastDelay = true;
        await this.#waitForNewBatchThreshold();
      } else {
        await this.#backOff();
      }
    }
  }

  /** One receive; true when it found messages. Missing queues and storage errors count as empty polls. */
  async #poll(): Promise<boolean> {
    const { queue, options, logger, functionName } = this.#o;
    try {
      if (!this.#queueExists) {
        this.#queueExists = await this.#checkQueueExists();
        if (!this.#queueExists) {
          return false;
        }
      }
      // Stopping cancels a receive in progress, as the real listener's cancellation token does.
      const response = await queue.receiveMessages({
        numberOfMessages: options.batchSize,
        visibilityTimeout: Math.ceil(options.messageLeaseMs / 1000),
        abortSignal: this.#stopping.signal,
      });
      logger.trace('Polled queue', {
        function: functionName,
        queue: queue.name,
        count: response.receivedMessageItems.length,
      });
      for (const message of response.receivedMessageItems) {
        this.#track(this.#o.processor.process(message));
      }
      return response.receivedMessageItems.length > 0;
    } catch (error) {
      // Any error makes the listener check the queue exists again before the next receive.
      this.#queueExists = undefined;
      if (!isStorageError(error, 404) && !this.#stopping.signal.aborted) {
        logger.warn('Polling the queue failed; backing off', {
          function: functionName,
          queue: queue.name,
          error: ensureError(error).message,
        });
      }
      return false;
    }
  }

  /** The real listener waits silently for a missing queue; a user would not know why nothing runs, so say it once. */
  async #checkQueueExists(): Promise<boolean> {
    const exists = await this.#o.queue.exists({ abortSignal: this.#stopping.signal });
    const fields = { function: this.#o.functionName, queue: this.#o.queue.name };
    if (!exists && !this.#warnedMissing) {
      this.#warnedMissing = true;
      this.#o.logger.warn('Queue does not exist; the trigger waits until it is created', fields);
    } else if (exists && this.#warnedMissing) {
      this.#warnedMissing = false;
      this.#o.logger.info('Queue now exists; listening', fields);
    }
    return exists;
  }

  #track(work: Promise<void>): void {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  async #waitForNewBatchThreshold(): Promise<void> {
    while (this.#inFlight.size > this.#o.options.newBatchThreshold && !this.#stopping.signal.aborted) {
      await Promise.race([...this.#inFlight, this.#stopped]);
    }
  }

  async #backOff(): Promise<void> {
    const delayMs = this.#backoff.nextDelayMs(this.#foundSinceLastDelay);
    this.#foundSinceLastDelay = false;
    if (this.#woken || this.#stopping.signal.aborted) {
      return;
    }
    this.#wakeWait = new AbortController();
    try {
      await this.#o.clock.sleep(delayMs, this.#wakeWait.signal);
    } catch {
      // Woken or stopping: poll again (or leave) at once.
    } finally {
      this.#wakeWait = undefined;
    }
  }
}

function abortPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
    } else {
      signal.addEventListener('abort', () => resolve(), { once: true });
    }
  });
}
