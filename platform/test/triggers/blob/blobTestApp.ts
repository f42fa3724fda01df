import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';

/** Every `%Setting%` the blob-app fixture uses. */
export interface BlobAppNames {
  readonly WatchedContainer: string;
  readonly EventGridContainer: string;
  readonly FailingContainer: string;
  readonly CopyContainer: string;
  readonly RecordQueue: string;
}

/** Unique container and queue names, so tests never see each other's blobs. */
export function uniqueBlobAppNames(): BlobAppNames {
  const suffix = randomBytes(4).toString('hex');
  return {
    WatchedContainer: `watched-${suffix}`,
    EventGridContainer: `eventgrid-${suffix}`,
    FailingContainer: `failing-${suffix}`,
    CopyContainer: `copy-${suffix}`,
    RecordQueue: `records-${suffix}`,
  };
}

/** SDK clients for the test's side of the same Azurite (one try per request, so a closed Azurite fails fast). */
export function storageClients(azurite: EmbeddedAzurite): { blobs: BlobServiceClient; queues: QueueServiceClient } {
  const options = { retryOptions: { maxTries: 1 } };
  return {
    blobs: BlobServiceClient.fromConnectionString(azurite.connectionString, options),
    queues: QueueServiceClient.fromConnectionString(azurite.connectionString, options),
  };
}

/** Collects what functions reported on a record queue, keeping everything read so far. */
export class RecordReader<T = Record<string, unknown>> {
  readonly #queue: QueueClient;
  readonly #records: T[] = [];

  constructor(queue: QueueClient) {
    this.#queue = queue;
  }

  /** Reads and removes new messages, then returns every record seen. */
  async read(): Promise<T[]> {
    if (!(await this.#queue.exists())) {
      return this.#records;
    }
    for (;;) {
      const { receivedMessageItems } = await this.#queue.receiveMessages({ numberOfMessages: 32 });
      if (receivedMessageItems.length === 0) {
        return this.#records;
      }
      for (const item of receivedMessageItems) {
        this.#records.push(JSON.parse(decode(item.messageText)) as T);
        await this.#queue.deleteMessage(item.messageId, item.popReceipt);
      }
    }
  }
}

function decode(text: string): string {
  return text.trimStart().startsWith('{') ? text : Buffer.from(text, 'base64').toString('utf8');
}
