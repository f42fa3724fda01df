import { queues } from '../names';
import type { Storage } from '../storage';

const pollMs = 500;
// One count shared by every normal-priority invocation of this instance, so a burst does not flood the queue service.
let cached: { at: number; count: number } | undefined;

async function highPriorityBacklog(storage: Storage): Promise<number> {
  const now = Date.now();
  if (cached === undefined || now - cached.at > pollMs / 2) {
    const properties = await storage.queue(queues.ordersHigh).getProperties();
    cached = { at: now, count: properties.approximateMessagesCount ?? 0 };
  }
  return cached.count;
}

/**
 * The priority-queue pattern on the consumer side: a normal order waits (holding its message, so nothing is retried
 * or lost) while `orders-high` has a backlog, at most `maxWaitMs` so normal orders never starve. Returns the time
 * waited.
 */
export async function waitForHighPriority(
  storage: Storage,
  maxWaitMs: number,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < maxWaitMs && (await highPriorityBacklog(storage)) > 0) {
    await sleep(pollMs);
  }
  return Date.now() - started;
}
