const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `work` after every earlier call with the same key in this process has settled. Writers of one hot table row
 * (a popular SKU, a busy customer) then take turns instead of losing ETag races to each other; writers in other
 * processes are still kept apart by the ETags themselves.
 */
export async function withKeyedLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) {
      tails.delete(key);
    }
  }
}
