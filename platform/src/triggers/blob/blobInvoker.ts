import type { BlobClient, BlobDownloadResponseParsed } from '@azure/storage-blob';
import type { Executor } from '../../host/executor';
import type { Logger } from '../../host/logger';
import type { StorageAccount } from '../../storage/storageAccount';
import { matchBlobPath } from './blobPathPattern';
import {
  fromBlobTriggerMessageJson,
  fromQueueText,
  toFunctionId,
  toHeaderETag,
  toQueueText,
  type BlobTriggerMessage,
} from './blobTriggerMessage';
import type { BlobTriggerFunction } from './blobTriggerFunction';
import { toBlobTriggerData } from './blobTriggerMetadata';
import type { DispatchMessage, DispatchResult } from './dispatchQueueListener';
import { statusOf } from './storageStatus';

/** The poison queue for blob triggers, in the triggering blob's account (st-common `Shared/HostQueueNames.cs`). */
export const blobPoisonQueueName = 'webjobs-blobtrigger-poison';

/** What the invoker needs from the extension. */
export interface BlobInvokerOptions {
  readonly functions: readonly BlobTriggerFunction[];
  readonly storage: (connectionName: string) => StorageAccount;
  readonly executor: Executor;
  readonly logger: Logger;
  readonly queueName: string;
  /** Tries before poison: host.json `extensions.blobs.poisonBlobThreshold`, default 5. */
  readonly maxDequeueCount: number;
}

/**
 * Runs the function a dispatch message names with the blob's bytes and metadata. A failed run is released
 * for another try until the dequeue count reaches the threshold; then the message's JSON is copied to
 * `webjobs-blobtrigger-poison`, as the real shared blob queue listener does.
 */
export class BlobInvoker {
  readonly #options: BlobInvokerOptions;
  readonly #byId: Map<string, BlobTriggerFunction>;

  constructor(options: BlobInvokerOptions) {
    this.#options = options;
    this.#byId = new Map(options.functions.map((f) => [toFunctionId(f.fn.name), f]));
  }

  async handle(message: DispatchMessage): Promise<DispatchResult> {
    const { logger, queueName } = this.#options;
    const json = fromQueueText(message.text);
    let trigger: BlobTriggerMessage;
    try {
      trigger = fromBlobTriggerMessageJson(json, { queueName, messageId: message.messageId });
    } catch (error) {
      // A message that cannot be decoded is logged and deleted (st-blobs `QueueServiceClientProvider.cs`).
      logger.error('Blob dispatch message discarded', {
        messageId: message.messageId,
        error: (error as Error).message,
      });
      return 'complete';
    }
    const target = this.#byId.get(trigger.functionId);
    if (!target) {
      logger.warn('Blob dispatch message names no blob-trigger function of this app', {
        functionId: trigger.functionId,
      });
      return 'complete';
    }

    const account = this.#options.storage(target.connection);
    const blob = account.blob.getContainerClient(trigger.containerName).getBlobClient(trigger.blobName);
    const succeeded = await this.#invoke(target, trigger, blob);
    if (succeeded !== false) {
      return 'complete';
    }
    if (message.dequeueCount < this.#options.maxDequeueCount) {
      return 'release';
    }
    await this.#poison(account, json, trigger, message.dequeueCount);
    return 'complete';
  }

  /** True when the run succeeded, false when it failed, undefined when there was nothing to run. */
  async #invoke(
    target: BlobTriggerFunction,
    trigger: BlobTriggerMessage,
    blob: BlobClient,
  ): Promise<boolean | undefined> {
    // Only scan-sourced functions skip a version that changed since (st-blobs `BlobQueueTriggerExecutor.cs`);
    // EventGrid-sourced ones run with the blob as it is now.
    const download = await this.#download(blob, trigger, target.source === 'LogsAndContainerScan');
    if (!download) {
      return undefined;
    }
    const snapshot = {
      container: trigger.containerName,
      blobName: trigger.blobName,
      url: blob.url,
      properties: download.response,
      tokens: matchBlobPath(target.pattern, trigger.blobName) ?? {},
    };
    const data = toBlobTriggerData(snapshot);
    const outcome = await this.#options.executor.invoke({
      functionName: target.fn.name,
      trigger: { bytes: download.content },
      triggerMetadata: data.triggerMetadata,
      bindingData: data.bindingData,
      reason: `New blob detected(${target.source}): ${trigger.containerName}/${trigger.blobName}`,
    });
    return outcome.succeeded;
  }

  /** The blob's content and properties; undefined when it was deleted, or changed when `sameVersion` is asked. */
  async #download(
    blob: BlobClient,
    trigger: BlobTriggerMessage,
    sameVersion: boolean,
  ): Promise<{ content: Buffer; response: BlobDownloadResponseParsed } | undefined> {
    try {
      const conditions = sameVersion ? { ifMatch: toHeaderETag(trigger.eTag) } : {};
      const response = await blob.download(0, undefined, { conditions });
      return { content: await readAll(response.readableStreamBody), response };
    } catch (error) {
      const status = statusOf(error);
      if (status === 404 || status === 412) {
        // A changed blob has a new ETag and its own message; a deleted one has nothing left to process.
        this.#options.logger.info('Blob changed or deleted before its function ran; skipping', {
          function: trigger.functionId,
          blob: `${trigger.containerName}/${trigger.blobName}`,
          status,
        });
        return undefined;
      }
      throw error;
    }
  }

  async #poison(
    account: StorageAccount,
    json: string,
    trigger: BlobTriggerMessage,
    dequeueCount: number,
  ): Promise<void> {
    const poison = account.queue.getQueueClient(blobPoisonQueueName);
    await poison.createIfNotExists();
    await poison.sendMessage(toQueueText(json));
    this.#options.logger.error('Blob trigger message moved to the poison queue', {
      function: trigger.functionId,
      blob: `${trigger.containerName}/${trigger.blobName}`,
      queue: blobPoisonQueueName,
      dequeueCount,
    });
  }
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (!stream) {
    return Buffer.alloc(0);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}
