import type { RpcRetryOptions } from '../worker/rpc';

/**
 * Delay before retry number `retryCount` (1-based) under a function's `retry` option. Exponential back-off is
 * randomized between 0.8 and 1.2 of `min × 2^(n−1)` and capped at the maximum, as the WebJobs SDK does.
 */
export function retryDelayMs(options: RpcRetryOptions, retryCount: number, random: () => number = Math.random): number {
  const strategy = options.strategy ?? options.retryStrategy;
  if (strategy === 'exponentialBackoff' && 'minimumInterval' in options) {
    const min = (options.minimumInterval?.seconds ?? 0) * 1000;
    const max = (options.maximumInterval?.seconds ?? 0) * 1000;
    const jitter = 0.8 + random() * 0.4;
    return Math.min(max, Math.round(min * 2 ** (retryCount - 1) * jitter));
  }
  const fixed = 'delayInterval' in options ? (options.delayInterval?.seconds ?? 0) : 0;
  return fixed * 1000;
}

/** True while another attempt is allowed; `maxRetryCount: -1` retries forever. */
export function mayRetry(options: RpcRetryOptions, retriesSoFar: number): boolean {
  return options.maxRetryCount === -1 || retriesSoFar < options.maxRetryCount;
}
