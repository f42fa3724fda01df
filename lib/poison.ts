import { createHash } from 'node:crypto';
import { poisonQueues, queues, tables } from './names';
import { fromQueueMessageText, toQueueMessageText } from './queueMessages';
import type { Storage } from './storage';
import { getEntityOrUndefined } from './storageErrors';

/** Source queues whose poison queues the app manages, with their poison queue names. */
export const poisonQueueOf: Record<string, string> = {
  [queues.orders]: poisonQueues.orders,
  [queues.ordersHigh]: poisonQueues.ordersHigh,
  [queues.replyRetries]: poisonQueues.replyRetries,
};

/** A poison message as the poison API shows it. */
export interface PoisonMessage {
  messageId: string;
  insertedOn: string | undefined;
  text: string;
  reason: string;
  originalMessageId: string | undefined;
}

interface ReasonEntity {
  reason: string;
  originalMessageId?: string;
  recordedAt: string;
}

/**
 * Reasons are keyed by source queue and a hash of the message text: the host's poison copy gets a new message id
 * (functions-host reference, section 3.3), so the text is the only thing both copies share.
 */
export function reasonKey(queue: string, text: string): { partitionKey: string; rowKey: string } {
  return { partitionKey: queue, rowKey: createHash('sha256').update(text).digest('hex') };
}

/** Records why a message of a queue failed, for the poison API to show. */
export async function recordPoisonReason(
  storage: Storage,
  queue: string,
  text: string,
  reason: string,
  originalMessageId?: string,
): Promise<void> {
  const entity: ReasonEntity = {
    reason,
    recordedAt: new Date().toISOString(),
    ...(originalMessageId ? { originalMessageId } : {}),
  };
  await storage.table(tables.poisonReasons).upsertEntity({ ...reasonKey(queue, text), ...entity }, 'Replace');
}

/** Moves a message that can never succeed straight to the poison queue, with its reason. */
export async function sendToPoison(
  storage: Storage,
  queue: string,
  text: string,
  reason: string,
  originalMessageId?: string,
): Promise<void> {
  await recordPoisonReason(storage, queue, text, reason, originalMessageId);
  await storage.queue(poisonQueueName(queue)).sendMessage(toQueueMessageText(text));
}

/** Lists up to 32 poison messages of a source queue with their reasons (queue peek returns at most 32). */
export async function listPoison(storage: Storage, queue: string): Promise<PoisonMessage[]> {
  const peeked = await storage.queue(poisonQueueName(queue)).peekMessages({ numberOfMessages: 32 });
  const reasons = storage.table(tables.poisonReasons);
  const result: PoisonMessage[] = [];
  for (const message of peeked.peekedMessageItems) {
    const text = fromQueueMessageText(message.messageText);
    const key = reasonKey(queue, text);
    const recorded = await getEntityOrUndefined(() => reasons.getEntity<ReasonEntity>(key.partitionKey, key.rowKey));
    result.push({
      messageId: message.messageId,
      insertedOn: message.insertedOn?.toISOString(),
      text,
      reason: recorded?.reason ?? 'reached the maximum dequeue count (no reason recorded)',
      originalMessageId: recorded?.originalMessageId,
    });
  }
  return result;
}

/**
 * Moves one poison message back to its source queue: received with a short lease, re-sent, then deleted. Others
 * received on the way are released at once. Returns false when no such message is there.
 */
export async function requeuePoison(storage: Storage, queue: string, messageId: string): Promise<boolean> {
  const poison = storage.queue(poisonQueueName(queue));
  for (let round = 0; round < 10; round++) {
    const received = await poison.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 30 });
    if (received.receivedMessageItems.length === 0) {
      return false;
    }
    let found = false;
    for (const message of received.receivedMessageItems) {
      if (message.messageId === messageId) {
        found = true;
        await storage.queue(queue).sendMessage(message.messageText);
        await poison.deleteMessage(message.messageId, message.popReceipt);
        await storage
          .table(tables.poisonReasons)
          .deleteEntity(...keyArgs(reasonKey(queue, fromQueueMessageText(message.messageText))))
          .catch(() => undefined);
      } else {
        await poison.updateMessage(message.messageId, message.popReceipt, undefined, 0);
      }
    }
    if (found) {
      return true;
    }
  }
  return false;
}

function keyArgs(key: { partitionKey: string; rowKey: string }): [string, string] {
  return [key.partitionKey, key.rowKey];
}

/** The poison queue of a source queue; throws for queues the app does not manage. */
export function poisonQueueName(queue: string): string {
  const name = poisonQueueOf[queue];
  if (name === undefined) {
    throw new UnknownQueueError(queue);
  }
  return name;
}

/** A poison API call named a queue the app does not manage. */
export class UnknownQueueError extends Error {
  constructor(readonly queue: string) {
    super(`expected one of the queues ${Object.keys(poisonQueueOf).join(', ')}, received '${queue}'`);
    this.name = 'UnknownQueueError';
  }
}
