/**
 * Callers waiting for the next item, served first come first served. A caller whose signal aborts leaves the
 * queue with undefined; closing resolves everyone with undefined.
 */
export class WaiterQueue<T> {
  #waiters: ((value: T | undefined) => void)[] = [];

  get length(): number {
    return this.#waiters.length;
  }

  /** Waits until `serve` hands over an item, or resolves undefined when the signal aborts or the queue closes. */
  wait(signal: AbortSignal): Promise<T | undefined> {
    return new Promise((resolve) => {
      const waiter = (value: T | undefined) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Hands `value` to the longest waiter; false when nobody waits. */
  serve(value: T): boolean {
    const waiter = this.#waiters.shift();
    waiter?.(value);
    return waiter !== undefined;
  }

  /** Resolves every waiter with undefined (shutdown). */
  close(): void {
    for (const waiter of this.#waiters.splice(0)) {
      waiter(undefined);
    }
  }
}
