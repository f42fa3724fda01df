import type { BlobLeaseClient, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import type { Logger } from '../../host/logger';
import {
  toBlobTriggerMessageJson,
  toFunctionId,
  toMessageETag,
  toQueueText,
  type BlobTriggerMessage,
} from './blobTriggerMessage';
import { statusOf } from './storageStatus';

/** One version of a blob that a function's pattern matched. */
export interface BlobVersion {
  readonly container: string;
  readonly blobName: string;
  /** As the storage service returns it (quoted). */
  readonly eTag: string;
  readonly blobType: BlobTriggerMessage['blobType'];
}

/** `done`: a receipt says this version was handed over already; `busy`: another host is handing it over now. */
export type ClaimResult = 'enqueued' | 'done' | 'busy';

/** The receipt lease; the real manager uses 30 s (st-blobs `Listeners/BlobReceiptManager.cs`). */
const receiptLeaseSeconds = 30;
const incompleteKey = 'Incomplete';

/**
 * Hands each blob version to its function exactly once across hosts sharing a host id, with receipt blobs
 * `blobreceipts/<hostId>/<functionId>/<ETag>/<container>/<blob>` in `azure-webjobs-hosts`
 * (st-blobs `Listeners/BlobTriggerExecutor.cs`): create the receipt marked incomplete, lease it, re-check,
 * enqueue the dispatch message, mark it complete, release.
 */
export class BlobReceipts {
  constructor(
    private readonly options: {
      /** `azure-webjobs-hosts` of the triggering blob's account. */
      hostContainer: ContainerClient;
      hostId: string;
      dispatchQueue: QueueClient;
      logger: Logger;
    },
  ) {}

  /** Enqueues the dispatch message for this version unless a receipt shows it was, or is being, enqueued. */
  async claim(functionName: string, blob: BlobVersion): Promise<ClaimResult> {
    const functionId = toFunctionId(functionName);
    const eTag = toMessageETag(blob.eTag);
    const receipt = this.options.hostContainer.getBlockBlobClient(
      `blobreceipts/${this.options.hostId}/${functionId}/${eTag}/${blob.container}/${blob.blobName}`,
    );
    const state = await readReceipt(receipt);
    if (state === 'complete') {
      return 'done';
    }
    if (state === 'missing') {
      await createIncompleteReceipt(receipt);
    }

    const lease = receipt.getBlobLeaseClient();
    if (!(await tryLease(lease))) {
      return 'busy';
    }
    try {
      if ((await readReceipt(receipt)) === 'complete') {
        return 'done';
      }
      const message = {
        functionId,
        containerName: blob.container,
        blobName: blob.blobName,
        eTag,
        blobType: blob.blobType,
      };
      await this.options.dispatchQueue.sendMessage(toQueueText(toBlobTriggerMessageJson(message)));
      await receipt.setMetadata({}, { conditions: { leaseId: lease.leaseId } });
      this.options.logger.debug('Blob handed to function', { function: functionName, blob: blob.blobName });
      return 'enqueued';
    } finally {
      await lease.releaseLease().catch(() => undefined);
    }
  }
}

async function readReceipt(receipt: BlockBlobClient): Promise<'missing' | 'incomplete' | 'complete'> {
  try {
    const properties = await receipt.getProperties();
    const keys = Object.keys(properties.metadata ?? {}).map((key) => key.toLowerCase());
    return keys.includes(incompleteKey.toLowerCase()) ? 'incomplete' : 'complete';
  } catch (error) {
    if (statusOf(error) === 404) {
      return 'missing';
    }
    throw error;
  }
}

async function createIncompleteReceipt(receipt: BlockBlobClient): Promise<void> {
  try {
    await receipt.upload('', 0, {
      metadata: { [incompleteKey]: incompleteKey },
      conditions: { ifNoneMatch: '*' },
    });
  } catch (error) {
    // Another host created it first; the lease decides who goes on.
    if (statusOf(error) !== 409 && statusOf(error) !== 412) {
      throw error;
    }
  }
}

async function tryLease(lease: BlobLeaseClient): Promise<boolean> {
  try {
    await lease.acquireLease(receiptLeaseSeconds);
    return true;
  } catch (error) {
    if (statusOf(error) === 409) {
      return false;
    }
    throw error;
  }
}
