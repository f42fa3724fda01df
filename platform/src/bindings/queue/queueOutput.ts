import type { QueueServiceClient } from '@azure/storage-queue';
import type { HostEvents } from '../../host/hostEvents';
import { toQueueMessageText, type QueueMessageEncoding } from '../../triggers/queue/messageEncoding';
import { addMessageCreatingQueue } from './queueOperations';
import type { RpcTypedData } from '../../worker/rpc';
import { fromRpcTypedDataToItems } from '../typedDataValues';

/** Where a queue output goes and how its messages are encoded. */
export interface QueueOutputTarget {
  readonly accountName: string;
  readonly service: QueueServiceClient;
  readonly queueName: string;
  readonly encoding: QueueMessageEncoding;
}

/** The message texts an output value becomes: one per array element, encoded per `messageEncoding`. */
export function toQueueMessageTexts(value: RpcTypedData, encoding: QueueMessageEncoding): string[] {
  return fromRpcTypedDataToItems(value).map((item) => toQueueMessageText(item, encoding));
}

/**
 * Writes a queue output binding's value, creating the queue if needed as the real binding does, and tells the
 * host so that a listener on that queue polls at once instead of finishing its back-off.
 */
export async function writeQueueOutput(
  target: QueueOutputTarget,
  value: RpcTypedData,
  events: HostEvents,
): Promise<number> {
  const queue = target.service.getQueueClient(target.queueName);
  const texts = toQueueMessageTexts(value, target.encoding);
  for (const text of texts) {
    await addMessageCreatingQueue(queue, text);
  }
  if (texts.length > 0) {
    events.emit('queueMessageAdded', { accountName: target.accountName, queueName: target.queueName });
  }
  return texts.length;
}
