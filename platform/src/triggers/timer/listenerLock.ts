import type { BlobLeaseClient, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import type { Logger } from '../../host/logger';

/** How a listener lock is named and timed. */
export interface ListenerLockOptions {
  /** The `azure-webjobs-hosts` container of the host storage account. */
  readonly container: ContainerClient;
  /** Lock blob path: `locks/<hostId>/<lockId>`. */
  readonly blobName: string;
  /** Written as the blob's `FunctionInstance` metadata so people can see who owns the lock. */
  readonly owner: string;
  /** Lease length; Azure allows 15–60 s. */
  readonly leaseSeconds: number;
  readonly logger: Logger;
}

/**
 * A listener-mode singleton as the WebJobs SDK keeps it (webjobs `Singleton/BlobLeaseDistributedLockManager.cs`):
 * whoever holds the lease on the lock blob runs the listener; the lease is renewed while held and released on stop.
 */
export class ListenerLock {
  readonly #options: ListenerLockOptions;
  readonly #blob: BlockBlobClient;
  #lease: BlobLeaseClient | undefined;

  constructor(options: ListenerLockOptions) {
    this.#options = options;
    this.#blob = options.container.getBlockBlobClient(options.blobName);
  }

  /** Takes the lease if nobody holds it; false when another owner does. */
  async tryAcquire(): Promise<boolean> {
    await this.#ensureBlob();
    const lease = this.#blob.getBlobLeaseClient();
    try {
      await lease.acquireLease(this.#options.leaseSeconds);
    } catch (error) {
      if (statusOf(error) === 409) {
        return false;
      }
      throw error;
    }
    this.#lease = lease;
    await this.#blob.setMetadata({ FunctionInstance: this.#options.owner }, { conditions: { leaseId: lease.leaseId } });
    this.#options.logger.debug('Listener lock acquired', { lock: this.#options.blobName, owner: this.#options.owner });
    return true;
  }

  /** Renews the held lease; false when it was lost (expired and taken, or broken). */
  async renew(): Promise<boolean> {
    if (!this.#lease) {
      return false;
    }
    try {
      await this.#lease.renewLease();
      return true;
    } catch (error) {
      this.#options.logger.warn('Listener lock lost', {
        lock: this.#options.blobName,
        error: (error as Error).message,
      });
      this.#lease = undefined;
      return false;
    }
  }

  /** Gives the lease back so another host can take over at once. */
  async release(): Promise<void> {
    const lease = this.#lease;
    this.#lease = undefined;
    if (!lease) {
      return;
    }
    try {
      await lease.releaseLease();
    } catch (error) {
      this.#options.logger.debug('Listener lock release failed', {
        lock: this.#options.blobName,
        error: (error as Error).message,
      });
    }
  }

  async #ensureBlob(): Promise<void> {
    await this.#options.container.createIfNotExists();
    try {
      await this.#blob.upload('', 0, { conditions: { ifNoneMatch: '*' } });
    } catch (error) {
      // 409 when the blob exists, 412 when it exists under a lease: either way it is there.
      if (statusOf(error) !== 409 && statusOf(error) !== 412) {
        throw error;
      }
    }
  }
}

/** The HTTP status of a storage SDK error, if any. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
