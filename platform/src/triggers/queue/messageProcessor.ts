import type { QueueClient } from '@azure/storage-queue';
import { addMessageCreatingQueue } from '../../bindings/queue/queueOperations';
import { isStorageError } from '../../bindings/storageErrors';
import type { Clock } from '../../clock/clock';
import { ensureError } from '../../errors';
import type { Executor } from '../../host/executor';
import type { HostEvents } from '../../host/hostEvents';
import type { Logger } from '../../host/logger';
import { MessageLease } from './messageLease';
import { fromQueueMessageText } from './messageEncoding';
import type { QueuesOptions } from './queueOptions';
import { toQueueTriggerData, type ReceivedQueueMessage } from './triggerData';

/** Everything one queue trigger needs to run a message through its function and settle it. */
export interface MessageProcessorOptions {
  readonly functionName: string;
  readonly accountName: string;
  readonly queue: QueueClient;
  /** Undefined when the queue has no poison queue (it is one, or the name would be too long). */
  readonly poisonQueue: QueueClient | undefined;
  readonly options: QueuesOptions;
  readonly executor: Executor;
  readonly events: HostEvents;
  readonly clock: Clock;
  readonly logger: Logger;
}

type PoisonReason = 'MaxDequeueCountExceeded' | 'MaxDequeueCountReached' | 'UndecodableMessage';

/**
 * Runs one received message as the storage extension's QueueProcessor does: poison check before invoking
 * (`dequeueCount > maxDequeueCount`), the lease renewed while the function runs, delete on success, and on failure
 * either the poison queue (`dequeueCount >= maxDequeueCount`) or release after `visibilityTimeout`.
 */
export class MessageProcessor {
  readonly #o: MessageProcessorOptions;

  constructor(options: MessageProcessorOptions) {
    this.#o = options;
  }

  /** Processes a message to its end; storage errors are logged, never thrown, so the listener keeps going. */
  async process(message: ReceivedQueueMessage): Promise<void> {
    try {
      await this.#process(message);
    } catch (error) {
      this.#o.logger.error('Queue message processing failed', {
        ...this.#fields(message),
        error: ensureError(error).message,
      });
    }
  }

  async #process(message: ReceivedQueueMessage): Promise<void> {
    const { options } = this.#o;
    const body = fromQueueMessageText(message.messageText, options.messageEncoding);
    if (body === undefined) {
      await this.#moveToPoison(message, message.popReceipt, 'UndecodableMessage');
      return;
    }
    if (message.dequeueCount > options.maxDequeueCount) {
      await this.#moveToPoison(message, message.popReceipt, 'MaxDequeueCountExceeded');
      return;
    }

    const lease = new MessageLease({
      queue: this.#o.queue,
      messageId: message.messageId,
      popReceipt: message.popReceipt,
      leaseMs: options.messageLeaseMs,
      clock: this.#o.clock,
      logger: this.#o.logger,
      functionName: this.#o.functionName,
    });
    lease.start();
    let succeeded: boolean;
    try {
      succeeded = await this.#invoke(message, body);
    } finally {
      await lease.stop();
    }

    if (succeeded) {
      await this.#delete(message, lease.popReceipt);
    } else {
      await this.#settleFailure(message, lease.popReceipt);
    }
  }

  async #invoke(message: ReceivedQueueMessage, body: Buffer): Promise<boolean> {
    const data = toQueueTriggerData(message, body, new Date(this.#o.clock.now()));
    const outcome = await this.#o.executor.invoke({
      functionName: this.#o.functionName,
      trigger: data.trigger,
      triggerMetadata: data.triggerMetadata,
      bindingData: data.bindingData,
      reason: `New queue message detected on '${this.#o.queue.name}'.`,
    });
    return outcome.succeeded;
  }

  async #settleFailure(message: ReceivedQueueMessage, popReceipt: string): Promise<void> {
    const { options, poisonQueue, queue } = this.#o;
    if (!poisonQueue) {
      // Without a poison queue the extension leaves the message invisible rather than loop on it.
      this.#o.logger.warn('Failed message left invisible until its lease lapses: the queue has no poison queue', {
        ...this.#fields(message),
        leaseMs: options.messageLeaseMs,
      });
      return;
    }
    if (message.dequeueCount >= options.maxDequeueCount) {
      await this.#moveToPoison(message, popReceipt, 'MaxDequeueCountReached');
      return;
    }
    try {
      await queue.updateMessage(
        message.messageId,
        popReceipt,
        undefined,
        Math.round(options.visibilityTimeoutMs / 1000),
      );
    } catch (error) {
      this.#ignoreGoneMessage(error, message);
    }
  }

  /** Copies the message text (never logged: it is user data) to the poison queue, then deletes the original. */
  async #moveToPoison(message: ReceivedQueueMessage, popReceipt: string, reason: PoisonReason): Promise<void> {
    const { poisonQueue, logger } = this.#o;
    if (!poisonQueue) {
      logger.error('Message cannot be processed and the queue has no poison queue; it stays invisible', {
        ...this.#fields(message),
        reason,
      });
      return;
    }
    logger.warn('Moving message to poison queue', {
      ...this.#fields(message),
      poisonQueue: poisonQueue.name,
      maxDequeueCount: this.#o.options.maxDequeueCount,
      reason,
    });
    await addMessageCreatingQueue(poisonQueue, message.messageText);
    await this.#delete(message, popReceipt);
    this.#o.events.emit('queueMessageAdded', { accountName: this.#o.accountName, queueName: poisonQueue.name });
  }

  async #delete(message: ReceivedQueueMessage, popReceipt: string): Promise<void> {
    try {
      await this.#o.queue.deleteMessage(message.messageId, popReceipt);
    } catch (error) {
      this.#ignoreGoneMessage(error, message);
    }
  }

  /** A 404 or a 400 pop-receipt mismatch means someone else settled the message; the extension ignores both. */
  #ignoreGoneMessage(error: unknown, message: ReceivedQueueMessage): void {
    if (isStorageError(error, 404) || isStorageError(error, 400, 'PopReceiptMismatch')) {
      this.#o.logger.debug('Message was already gone when settling it', this.#fields(message));
      return;
    }
    throw error;
  }

  #fields(message: ReceivedQueueMessage) {
    return {
      function: this.#o.functionName,
      queue: this.#o.queue.name,
      messageId: message.messageId,
      dequeueCount: message.dequeueCount,
    };
  }
}
