import type { QueueClient } from '@azure/storage-queue';

/** True when a storage SDK error carries this HTTP status (and error code, when given). */
export function isStorageError(error: unknown, status: number, code?: string): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { statusCode, code: errorCode } = error as { statusCode?: unknown; code?: unknown };
  return statusCode === status && (code === undefined || errorCode === code);
}

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
