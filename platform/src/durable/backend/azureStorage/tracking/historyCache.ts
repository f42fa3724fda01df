import type { HistoryEvent } from '../../types';

/** A cached history with the sentinel ETag it was read or written under. */
export interface CachedHistory {
  executionId: string;
  events: HistoryEvent[];
  etag: string | undefined;
}

/**
 * Least-recently-used cache of instance histories. Safe like DTFx's extended sessions without their risk: every
 * checkpoint is still conditional on the cached ETag, and a mismatch drops the entry.
 */
export class HistoryCache {
  readonly #entries = new Map<string, CachedHistory>();

  constructor(private readonly capacity: number) {}

  get(instanceId: string): CachedHistory | undefined {
    const entry = this.#entries.get(instanceId);
    if (entry) {
      this.#entries.delete(instanceId);
      this.#entries.set(instanceId, entry);
    }
    return entry;
  }

  set(instanceId: string, entry: CachedHistory): void {
    this.#entries.delete(instanceId);
    this.#entries.set(instanceId, entry);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.#entries.delete(oldest);
    }
  }

  delete(instanceId: string): void {
    this.#entries.delete(instanceId);
  }

  clear(): void {
    this.#entries.clear();
  }
}
