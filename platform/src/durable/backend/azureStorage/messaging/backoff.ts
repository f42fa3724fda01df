/**
 * Randomized exponential back-off between empty queue polls: from 50 ms doubling up to the maximum, as the
 * provider's `BackoffPollingHelper` does (host.json `storageProvider.maxQueuePollingInterval`).
 */
export class PollBackoff {
  #delayMs = 0;

  constructor(
    private readonly maxMs: number,
    private readonly minMs = 50,
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait after another empty poll. */
  next(): number {
    this.#delayMs = this.#delayMs === 0 ? this.minMs : Math.min(this.maxMs, this.#delayMs * 2);
    // Up to 25% jitter keeps several pollers from hitting the queue in step.
    return Math.max(this.minMs, Math.round(this.#delayMs * (0.75 + this.random() * 0.25)));
  }

  /** Called when a poll found messages: the next empty poll starts from the minimum again. */
  reset(): void {
    this.#delayMs = 0;
  }
}
