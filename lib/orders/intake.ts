import type { DurableClient } from 'durable-functions';
import { ensureError } from '../errors';
import { startIfAbsent } from '../jobs/instances';
import type { AppLogger } from '../log';
import { functionNames, instanceIds } from '../names';
import { parseOrderMessage, validateOrderMessage } from '../orderSchema';
import { recordPoisonReason, sendToPoison } from '../poison';
import type { Storage } from '../storage';

/** The queue message being handled. */
export interface QueuedOrder {
  queue: string;
  messageId: string;
  dequeueCount: number;
  /** The message text as it arrived (the trigger hands JSON over as an object; this keeps the original). */
  text: string;
  /** The value the trigger handed over. */
  entry: unknown;
}

/** What happened to a queued order. */
export type IntakeOutcome = 'started' | 'duplicate' | 'poisoned';

/**
 * Takes one order message: an invalid one goes to poison at once with its reason; a valid one starts
 * `processOrder` as `order-<orderId>` unless that instance already exists in any state (a duplicate starts nothing). A transient
 * failure is rethrown so the queue retries it; on the last attempt its reason is recorded for the poison API first.
 */
export async function takeOrder(
  deps: { storage: Storage; client: DurableClient; logger: AppLogger; maxDequeueCount: number },
  message: QueuedOrder,
): Promise<IntakeOutcome> {
  const parsed =
    typeof message.entry === 'string' ? parseOrderMessage(message.entry) : validateOrderMessage(message.entry);
  if (!parsed.ok) {
    deps.logger.warn('Order message rejected; moved to poison queue', {
      queue: message.queue,
      messageId: message.messageId,
      reason: parsed.reason,
    });
    await sendToPoison(deps.storage, message.queue, message.text, parsed.reason, message.messageId);
    return 'poisoned';
  }

  const instanceId = instanceIds.order(parsed.order.orderId);
  try {
    const outcome = await startIfAbsent(deps.client, functionNames.processOrder, instanceId, parsed.order);
    if (!outcome.started) {
      deps.logger.info('Duplicate order message ignored', {
        queue: message.queue,
        messageId: message.messageId,
        instanceId,
        runtimeStatus: outcome.existing.runtimeStatus,
      });
      return 'duplicate';
    }
    deps.logger.info('Order orchestration started', { queue: message.queue, messageId: message.messageId, instanceId });
    return 'started';
  } catch (error) {
    if (message.dequeueCount >= deps.maxDequeueCount) {
      const reason = `failed ${message.dequeueCount} times: ${ensureError(error).message}`;
      await recordPoisonReason(deps.storage, message.queue, message.text, reason, message.messageId).catch(
        () => undefined,
      );
    }
    throw error;
  }
}
