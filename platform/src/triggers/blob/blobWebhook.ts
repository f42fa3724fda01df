import type { IncomingMessage } from 'node:http';
import type { RawHttpHandler } from '../../host/extension';
import { respondJson, respondText } from '../../host/httpServer';
import type { Logger } from '../../host/logger';
import type { StorageAccount } from '../../storage/storageAccount';
import type { BlobVersion } from './blobReceipts';
import type { BlobTriggerFunction } from './blobTriggerFunction';
import { toBlobTypeName } from './blobTriggerMetadata';
import { toFunctionId } from './blobTriggerMessage';
import { EventGridFormatError, fromEventGridDelivery, toBlobLocation } from './eventGridEvents';

/** Where Event Grid posts blob events: `/runtime/webhooks/blobs?functionName=Host.Functions.<name>` (docs). */
export const blobWebhookPrefix = '/runtime/webhooks/blobs';

/** What the webhook needs: the EventGrid-source functions and a way to hand a blob version over. */
export interface BlobWebhookOptions {
  readonly functions: readonly BlobTriggerFunction[];
  readonly storage: (connectionName: string) => StorageAccount;
  readonly offer: (f: BlobTriggerFunction, version: BlobVersion) => Promise<boolean>;
  readonly logger: Logger;
}

/**
 * Serves Event Grid deliveries for `source: 'EventGrid'` blob triggers: answers the subscription validation
 * handshake and hands each created blob to the named function through the same receipts as the scanner. The
 * local host does not check the `code` (blobs_extension key).
 */
export function createBlobWebhook(options: BlobWebhookOptions): RawHttpHandler {
  return async (request, response, url) => {
    if (request.method !== 'POST') {
      respondText(response, 405, 'The blob webhook accepts POST only.');
      return;
    }
    const requested = url.searchParams.get('functionName') ?? '';
    const target = options.functions.find((f) => requested === toFunctionId(f.fn.name) || requested === f.fn.name);
    if (!target) {
      const known = options.functions.map((f) => toFunctionId(f.fn.name)).join(', ') || 'none';
      respondText(response, 404, `No blob trigger with source 'EventGrid' is named '${requested}'. Known: ${known}.`);
      return;
    }

    let delivery;
    try {
      delivery = fromEventGridDelivery(await readBody(request));
    } catch (error) {
      if (error instanceof EventGridFormatError) {
        respondText(response, 400, error.message);
        return;
      }
      throw error;
    }
    if (delivery.validationCode !== undefined) {
      respondJson(response, 200, { validationResponse: delivery.validationCode });
      return;
    }

    const account = options.storage(target.connection);
    for (const blobUrl of delivery.createdBlobUrls) {
      await handOver(options, target, account, blobUrl);
    }
    respondText(response, 202, '');
  };
}

async function handOver(
  options: BlobWebhookOptions,
  target: BlobTriggerFunction,
  account: StorageAccount,
  blobUrl: string,
): Promise<void> {
  const location = toBlobLocation(blobUrl, account.blob.url);
  if (!location || location.container !== target.pattern.container) {
    options.logger.warn('Event Grid blob event is outside the function path; ignored', {
      function: target.fn.name,
      blobUrl,
    });
    return;
  }
  const properties = await account.blob
    .getContainerClient(location.container)
    .getBlobClient(location.blobName)
    .getProperties();
  if (properties.etag) {
    await options.offer(target, { ...location, eTag: properties.etag, blobType: toBlobTypeName(properties.blobType) });
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
