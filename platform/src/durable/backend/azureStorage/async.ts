import type { Clock } from '../../../clock/clock';

/**
 * Runs `work` with a signal that aborts when any of `signals` does or when `ms` of the clock pass, so a
 * `lockNext…` call returns undefined after one poll period and the caller's loop stays responsive.
 */
export async function withTimeout<T>(
  clock: Clock,
  ms: number,
  signals: readonly AbortSignal[],
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timeout = new AbortController();
  const cancel = clock.schedule(ms, () => timeout.abort());
  try {
    // AbortSignal.any holds its sources weakly, so dozens of dispatcher loops add no listeners to a shared signal.
    return await work(AbortSignal.any([...signals, timeout.signal]));
  } finally {
    cancel();
  }
}

/** Maps over items with at most `limit` calls in flight. */
export async function mapLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
