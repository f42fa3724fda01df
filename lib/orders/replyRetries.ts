import { queues } from '../names';
import { toQueueMessageText } from '../queueMessages';
import type { Storage } from '../storage';
import type { Reply } from './replies';

/** A reply waiting on the `reply-retries` queue, with how often sending it failed so far. */
export interface DeferredReply {
  reply: Reply;
  attempt: number;
}

/** Delay before the next attempt: 5 s doubling per failure, at most 10 minutes. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(5 * 2 ** Math.max(attempt - 1, 0), 600);
}

/** Puts a reply on the retry queue, visible after the back-off for its attempt number. */
export async function deferReplyMessage(storage: Storage, deferred: DeferredReply): Promise<void> {
  await storage.queue(queues.replyRetries).sendMessage(toQueueMessageText(JSON.stringify(deferred)), {
    visibilityTimeout: deferred.attempt === 0 ? 0 : retryDelaySeconds(deferred.attempt),
    messageTimeToLive: -1,
  });
}
