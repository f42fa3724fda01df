const randomizationFactor = 0.2;

/**
 * The queue listener's randomized exponential back-off between polls. After a poll that found messages the next
 * delay is the minimum; each poll that found nothing lengthens it to
 * `min + rand(0.8–1.2) × 2^(n−1) × min` until it reaches the maximum, where it stays.
 * Source: storage extension `RandomizedExponentialBackoffStrategy`.
 */
export class PollingBackoff {
  readonly #minimumMs: number;
  readonly #maximumMs: number;
  readonly #random: () => number;
  #currentMs: number;
  #exponent = 0;

  constructor(options: { minimumMs: number; maximumMs: number; random?: () => number }) {
    this.#minimumMs = options.minimumMs;
    this.#maximumMs = Math.max(options.minimumMs, options.maximumMs);
    this.#random = options.random ?? Math.random;
    this.#currentMs = this.#minimumMs;
  }

  /** The delay before the next poll, given whether messages were found since the last delay. */
  nextDelayMs(foundMessages: boolean): number {
    if (foundMessages) {
      this.#currentMs = this.#minimumMs;
      this.#exponent = 1;
      return this.#currentMs;
    }
    if (this.#currentMs === this.#maximumMs) {
      return this.#currentMs;
    }
    let delay = this.#minimumMs;
    if (this.#exponent > 0) {
      const jitter = 1 - randomizationFactor + this.#random() * 2 * randomizationFactor;
      delay += jitter * 2 ** (this.#exponent - 1) * this.#minimumMs;
    }
    if (delay < this.#maximumMs) {
      this.#currentMs = delay;
      this.#exponent++;
    } else {
      this.#currentMs = this.#maximumMs;
    }
    return Math.round(this.#currentMs);
  }
}
