import type { QueueClient } from '@azure/storage-queue';
import type { Clock } from '../../clock/clock';
import { ensureError } from '../../errors';
import type { Logger } from '../../host/logger';
import { isStorageError } from '../../bindings/storageErrors';

/** Renewals speed up to at most this interval after failures (storage extension `LinearSpeedupStrategy`). */
const fastestRenewalMs = 60_000;

/** What a lease needs: the queue, the message, its lease length, a clock and a logger for its warnings. */
export interface MessageLeaseOptions {
  readonly queue: QueueClient;
  readonly messageId: string;
  readonly popReceipt: string;
  readonly leaseMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly functionName: string;
}

/**
 * Keeps a received message invisible while its function runs: every half lease its visibility is pushed out by
 * one lease again, and the new pop receipt is kept for the final delete or update. After a failed renewal the
 * next one comes sooner. Source: storage extension `QueueListener.CreateUpdateMessageVisibilityTimer`.
 */
export class MessageLease {
  readonly #options: MessageLeaseOptions;
  readonly #normalIntervalMs: number;
  #popReceipt: string;
  #cancelTimer: (() => void) | undefined;
  #renewing: Promise<void> | undefined;
  #stopped = false;

  constructor(options: MessageLeaseOptions) {
    this.#options = options;
    this.#popReceipt = options.popReceipt;
    this.#normalIntervalMs = Math.max(1, Math.floor(options.leaseMs / 2));
  }

  /** The latest pop receipt; it changes with every renewal. */
  get popReceipt(): string {
    return this.#popReceipt;
  }

  /** Schedules the first renewal at half the lease. */
  start(): void {
    this.#schedule(this.#normalIntervalMs);
  }

  /** Stops renewing and waits for a renewal in progress, so `popReceipt` is final. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelTimer?.();
    await this.#renewing;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) {
      return;
    }
    this.#cancelTimer = this.#options.clock.schedule(delayMs, () => {
      this.#renewing = this.#renew(delayMs);
    });
  }

  async #renew(previousDelayMs: number): Promise<void> {
    const { queue, messageId, leaseMs, logger, functionName } = this.#options;
    try {
      const result = await queue.updateMessage(messageId, this.#popReceipt, undefined, Math.ceil(leaseMs / 1000));
      this.#popReceipt = result.popReceipt ?? this.#popReceipt;
      logger.debug('Renewed message lease', { function: functionName, queue: queue.name, messageId, leaseMs });
      this.#schedule(this.#normalIntervalMs);
    } catch (error) {
      if (isStorageError(error, 404)) {
        logger.warn('Message vanished while its function ran', {
          function: functionName,
          queue: queue.name,
          messageId,
        });
        return;
      }
      const nextMs = Math.max(Math.min(fastestRenewalMs, this.#normalIntervalMs), Math.floor(previousDelayMs / 2));
      logger.warn('Could not renew message lease; trying again sooner', {
        function: functionName,
        queue: queue.name,
        messageId,
        retryInMs: nextMs,
        error: ensureError(error).message,
      });
      this.#schedule(nextMs);
    }
  }
}
