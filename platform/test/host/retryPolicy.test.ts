import { mayRetry, retryDelayMs } from '../../src/host/retryPolicy';

describe('retry policy', () => {
  it('waits the fixed delay between attempts', () => {
    const policy = { strategy: 'fixedDelay' as const, maxRetryCount: 3, delayInterval: { seconds: 10 } };

    expect([1, 2, 3].map((n) => retryDelayMs(policy, n))).toEqual([10_000, 10_000, 10_000]);
  });

  it('doubles the exponential delay per retry within ±20 % and caps it at the maximum', () => {
    const policy = {
      strategy: 'exponentialBackoff' as const,
      maxRetryCount: 5,
      minimumInterval: { seconds: 2 },
      maximumInterval: { seconds: 10 },
    };

    expect(retryDelayMs(policy, 1, () => 0.5)).toBe(2_000);
    expect(retryDelayMs(policy, 2, () => 0)).toBe(3_200);
    expect(retryDelayMs(policy, 3, () => 1)).toBe(9_600);
    expect(retryDelayMs(policy, 4, () => 0.5)).toBe(10_000);
  });

  it('retries forever with maxRetryCount -1 and stops at the count otherwise', () => {
    expect(mayRetry({ maxRetryCount: -1 }, 1_000)).toBe(true);
    expect(mayRetry({ maxRetryCount: 2 }, 1)).toBe(true);
    expect(mayRetry({ maxRetryCount: 2 }, 2)).toBe(false);
  });
});
