import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import type { Clock } from '../../../../clock/clock';
import type { TaskMessage } from '../../types';
import type { LargePayloadStore } from '../largePayloads';
import { failedWith } from '../storageErrors';
import {
  fromMessageData,
  fromQueueMessageText,
  maxInlineMessageBytes,
  toLargeMessageBlobName,
  toMessageData,
  toQueueMessageText,
} from '../messageData';

/** A message taken from a task hub queue, with what is needed to delete or release it. */
export interface DequeuedMessage {
  readonly queue: string;
  readonly messageId: string;
  popReceipt: string;
  readonly dequeueCount: number;
  readonly message: TaskMessage;
  /** Blob holding the full message when it was too large for the queue. */
  readonly blobName: string | undefined;
  /** Sent and claimed by this process rather than received. */
  readonly claimed?: boolean;
}

/** A queue message that could not be read, with the reason, for the poison queue. */
export interface UnreadableMessage {
  readonly queue: string;
  readonly messageId: string;
  readonly popReceipt: string;
  readonly text: string;
  readonly reason: string;
}

// Azure queues cap the initial visibility delay at 7 days; later delivery is chained (see MessageData.DeliverAt).
/** Longest initial visibility delay a queue message can get (7 days, less a minute of margin). */
export const maxQueueDelaySeconds = 7 * 24 * 3600 - 60;
let sequenceNumber = 0;

/**
 * One control or work-item queue of the task hub: sends `MessageData` JSON (large messages as gzip blobs with a
 * wrapper message), receives and parses, deletes and releases.
 */
export class TaskHubQueue {
  #poisonReady = false;

  constructor(
    readonly client: QueueClient,
    private readonly poisonClient: QueueClient,
    private readonly payloads: LargePayloadStore,
    private readonly clock: Clock,
    private readonly maxDelaySeconds = maxQueueDelaySeconds,
  ) {}

  get name(): string {
    return this.client.name;
  }

  /**
   * Sends a message, delayed until its `deliverAt` (chained when beyond the queue's 7-day limit). With
   * `claimForMs` (only for messages due now) the message is sent invisible for that long and returned as already
   * received: this process handles it without a receive, and should it crash, the message reappears for anyone
   * when the claim lapses, exactly like a received message whose visibility timeout passed.
   */
  async send(
    message: TaskMessage,
    options: { sender?: string; claimForMs?: number } = {},
  ): Promise<{ visibleAt: number; claimed?: DequeuedMessage }> {
    const activityId = randomUUID();
    const data = toMessageData(message, { activityId, sequenceNumber: ++sequenceNumber, sender: options.sender });
    let text = toQueueMessageText(data);
    let blobName: string | undefined;
    if (Buffer.byteLength(text, 'utf8') > maxInlineMessageBytes) {
      blobName = toLargeMessageBlobName(message.instanceId, activityId, message.event.EventType);
      await this.payloads.upload(blobName, text);
      text = toQueueMessageText({ ActivityId: activityId, CompressedBlobName: blobName, SequenceNumber: 0 });
    }
    const delaySeconds = this.#delaySeconds(message.deliverAt);
    const claim = delaySeconds === 0 && options.claimForMs !== undefined;
    const visibilityTimeout = claim ? Math.max(1, Math.ceil((options.claimForMs ?? 0) / 1000)) : delaySeconds;
    // TTL -1: a task hub message must never expire, least of all a timer waiting days to become visible.
    const sent = await this.client.sendMessage(text, { visibilityTimeout, messageTimeToLive: -1 });
    if (!claim) {
      return { visibleAt: this.clock.now() + delaySeconds * 1000 };
    }
    const claimed = {
      queue: this.name,
      messageId: sent.messageId,
      popReceipt: sent.popReceipt,
      dequeueCount: 1,
      message,
      blobName,
      claimed: true,
    };
    return { visibleAt: this.clock.now(), claimed };
  }

  #delaySeconds(deliverAt: number | undefined): number {
    if (deliverAt === undefined) {
      return 0;
    }
    return Math.min(this.maxDelaySeconds, Math.max(0, Math.ceil((deliverAt - this.clock.now()) / 1000)));
  }

  /** Receives up to `count` messages, invisible to others for `visibilityMs`; unreadable ones come apart. */
  async receive(
    count: number,
    visibilityMs: number,
  ): Promise<{ messages: DequeuedMessage[]; unreadable: UnreadableMessage[] }> {
    const response = await this.client.receiveMessages({
      numberOfMessages: count,
      visibilityTimeout: Math.max(1, Math.ceil(visibilityMs / 1000)),
    });
    const messages: DequeuedMessage[] = [];
    const unreadable: UnreadableMessage[] = [];
    await Promise.all(
      response.receivedMessageItems.map(async (item) => {
        try {
          messages.push(await this.#parse(item.messageText, item));
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          unreadable.push({
            queue: this.name,
            messageId: item.messageId,
            popReceipt: item.popReceipt,
            text: item.messageText,
            reason,
          });
        }
      }),
    );
    return { messages, unreadable };
  }

  async #parse(
    text: string,
    item: { messageId: string; popReceipt: string; dequeueCount: number },
  ): Promise<DequeuedMessage> {
    let data = fromQueueMessageText(text, this.name);
    const blobName = data.CompressedBlobName;
    if (!data.TaskMessage && blobName) {
      data = fromQueueMessageText(await this.payloads.download(blobName), this.name);
    }
    return {
      queue: this.name,
      messageId: item.messageId,
      popReceipt: item.popReceipt,
      dequeueCount: item.dequeueCount,
      message: fromMessageData(data, this.name),
      blobName,
    };
  }

  /** Deletes a handled message, then its blob. */
  async delete(message: { messageId: string; popReceipt: string; blobName?: string }): Promise<void> {
    await this.client.deleteMessage(message.messageId, message.popReceipt);
    if (message.blobName) {
      await this.payloads.delete(message.blobName);
    }
  }

  /**
   * Deletes a handled message unless it is already gone or was redelivered under a new pop receipt; a copy left
   * behind is a duplicate the engine drops.
   */
  async deleteIfHeld(message: { messageId: string; popReceipt: string; blobName?: string }): Promise<void> {
    try {
      await this.delete(message);
    } catch (error) {
      if (!failedWith(error, 400, 404)) {
        throw error;
      }
    }
  }

  /** Makes a message visible again after `delayMs`; updates its pop receipt. */
  async release(message: { messageId: string; popReceipt: string }, delayMs: number): Promise<void> {
    const response = await this.client.updateMessage(
      message.messageId,
      message.popReceipt,
      undefined,
      Math.max(0, Math.ceil(delayMs / 1000)),
    );
    message.popReceipt = response.popReceipt ?? message.popReceipt;
  }

  /**
   * Moves an unreadable message to `<queue>-poison` with its reason, then deletes it, so a bad message neither
   * blocks the partition nor disappears.
   */
  async poison(message: UnreadableMessage): Promise<void> {
    if (!this.#poisonReady) {
      await this.poisonClient.createIfNotExists();
      this.#poisonReady = true;
    }
    const body = JSON.stringify({
      queue: message.queue,
      messageId: message.messageId,
      reason: message.reason,
      text: message.text,
    });
    await this.poisonClient.sendMessage(
      body.length > maxInlineMessageBytes ? body.slice(0, maxInlineMessageBytes) : body,
      {
        messageTimeToLive: -1,
      },
    );
    await this.client.deleteMessage(message.messageId, message.popReceipt);
  }
}
