import type { QueueClient } from '@azure/storage-queue';
import { isStorageError } from '../storageErrors';

/**
 * Adds a message, creating the queue on a 404 and trying once more, as the storage extension's
 * `AddMessageAndCreateIfNotExistsAsync` does for output bindings and poison queues.
 */
export async function addMessageCreatingQueue(queue: QueueClient, messageText: string): Promise<void> {
  try {
    await queue.sendMessage(messageText);
  } catch (error) {
    if (!isStorageError(error, 404)) {
      throw error;
    }
    await queue.createIfNotExists();
    await queue.sendMessage(messageText);
  }
}
