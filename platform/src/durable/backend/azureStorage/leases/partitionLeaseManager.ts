import { randomUUID } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import type { Clock } from '../../../../clock/clock';
import type { Logger } from '../../../../host/logger';
import { failedWith } from '../storageErrors';
import { decideLeaseBalance, type LeaseView } from './leaseBalance';

/** Timing of partition leases (the provider: 30 s lease, renew every 10 s, look for leases every 10 s). */
export interface LeaseTimings {
  /** Blob lease duration; Azure allows 15–60 s. */
  readonly leaseIntervalMs: number;
  readonly renewIntervalMs: number;
  readonly acquireIntervalMs: number;
}

/** The provider's defaults. */
export const defaultLeaseTimings: LeaseTimings = {
  leaseIntervalMs: 30_000,
  renewIntervalMs: 10_000,
  acquireIntervalMs: 10_000,
};

/** Everything a lease manager needs. */
export interface PartitionLeaseManagerOptions {
  readonly container: ContainerClient;
  /** Lease blob names under `default/`: the control queue names, in partition order. */
  readonly partitionIds: readonly string[];
  readonly workerId: string;
  readonly timings: LeaseTimings;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A lease was taken; `stolen` when it was taken over from a live host that may still be working on it. */
  readonly onAcquired: (partition: number, stolen: boolean) => void;
  readonly onLost: (partition: number) => Promise<void>;
}

interface OwnedLease {
  leaseId: string;
  epoch: number;
}

/**
 * Shares a task hub's control-queue partitions between host processes with blob leases in
 * `<hub>-leases/default/<control queue>`: free or expired leases are taken, busy hosts give one up to a host
 * below its share, owned leases are renewed, and a lease that cannot be renewed is reported lost.
 */
export class PartitionLeaseManager {
  readonly #owned = new Map<number, OwnedLease>();
  readonly #stop = new AbortController();
  #loops: Promise<void>[] = [];

  constructor(private readonly options: PartitionLeaseManagerOptions) {}

  /** True while this host holds the partition's lease. */
  owns(partition: number): boolean {
    return this.#owned.has(partition);
  }

  /** Partitions this host holds now. */
  get ownedPartitions(): number[] {
    return [...this.#owned.keys()].sort((a, b) => a - b);
  }

  /** Creates the lease blobs if missing, takes a first share and starts balancing and renewing. */
  async start(): Promise<void> {
    await Promise.all(this.options.partitionIds.map((id, partition) => this.#ensureBlob(id, partition)));
    await this.balance();
    this.#loops = [
      this.#every(this.options.timings.acquireIntervalMs, () => this.balance()),
      this.#every(this.options.timings.renewIntervalMs, () => this.#renewAll()),
    ];
  }

  /** Stops balancing and renewing, reports every partition lost and releases its lease for another host. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await Promise.all(this.#loops);
    await Promise.all(
      [...this.#owned.entries()].map(async ([partition, lease]) => {
        this.#owned.delete(partition);
        await this.options.onLost(partition);
        await this.#blob(partition)
          .getBlobLeaseClient(lease.leaseId)
          .releaseLease()
          .catch(() => undefined);
      }),
    );
  }

  /** One balancing round: read every lease, take free ones up to the fair share, maybe take one over. */
  async balance(): Promise<void> {
    const views = await this.#views();
    const decision = decideLeaseBalance(views, this.options.workerId);
    await Promise.all(decision.acquire.map((partition) => this.#acquire(partition, false)));
    if (decision.steal !== undefined) {
      await this.#acquire(decision.steal, true);
    }
  }

  async #views(): Promise<LeaseView[]> {
    const byName = new Map<string, LeaseView['owner']>();
    for await (const blob of this.options.container.listBlobsFlat({ prefix: 'default/', includeMetadata: true })) {
      const live = blob.properties.leaseState === 'leased' || blob.properties.leaseState === 'breaking';
      byName.set(blob.name.slice('default/'.length), live ? (blob.metadata?.owner ?? '?') : undefined);
    }
    return this.options.partitionIds.map((id, partition) => ({
      partition,
      owner: this.#owned.has(partition) ? this.options.workerId : byName.get(id),
    }));
  }

  async #acquire(partition: number, steal: boolean): Promise<void> {
    const blob = this.#blob(partition);
    const leaseId = randomUUID();
    try {
      if (steal) {
        await blob.getBlobLeaseClient().breakLease(0);
      }
      await blob.getBlobLeaseClient(leaseId).acquireLease(Math.round(this.options.timings.leaseIntervalMs / 1000));
      const epoch = await this.#readEpoch(partition);
      await this.#writeOwner(partition, leaseId, epoch + 1);
    } catch (error) {
      if (failedWith(error, 409, 412)) {
        return; // Another host was quicker.
      }
      throw error;
    }
    this.#owned.set(partition, { leaseId, epoch: 0 });
    this.options.logger.info(steal ? 'Partition lease taken over' : 'Partition lease acquired', {
      partition: this.options.partitionIds[partition],
      owner: this.options.workerId,
    });
    this.options.onAcquired(partition, steal);
  }

  async #renewAll(): Promise<void> {
    await Promise.all(
      [...this.#owned.entries()].map(async ([partition, lease]) => {
        try {
          await this.#blob(partition).getBlobLeaseClient(lease.leaseId).renewLease();
        } catch (error) {
          if (!this.#owned.has(partition) || !failedWith(error, 409, 412, 404)) {
            this.options.logger.warn('Partition lease renewal failed', { partition, error: String(error) });
            return;
          }
          this.#owned.delete(partition);
          this.options.logger.info('Partition lease lost', { partition: this.options.partitionIds[partition] });
          await this.options.onLost(partition);
        }
      }),
    );
  }

  async #ensureBlob(id: string, partition: number): Promise<void> {
    const content = JSON.stringify({ PartitionId: id, Owner: null, Token: null, Epoch: 0 });
    try {
      await this.#blob(partition).upload(content, Buffer.byteLength(content), { conditions: { ifNoneMatch: '*' } });
    } catch (error) {
      if (!failedWith(error, 409, 412)) {
        throw error;
      }
    }
  }

  async #readEpoch(partition: number): Promise<number> {
    try {
      const body = await this.#blob(partition).downloadToBuffer();
      const epoch = (JSON.parse(body.toString('utf8')) as { Epoch?: unknown }).Epoch;
      return typeof epoch === 'number' ? epoch : 0;
    } catch {
      return 0;
    }
  }

  /** Records the owner in the blob (DTFx's lease JSON) and in metadata, so a listing shows every owner. */
  async #writeOwner(partition: number, leaseId: string, epoch: number): Promise<void> {
    const id = this.options.partitionIds[partition] as string;
    const content = JSON.stringify({ PartitionId: id, Owner: this.options.workerId, Token: leaseId, Epoch: epoch });
    await this.#blob(partition).upload(content, Buffer.byteLength(content), {
      conditions: { leaseId },
      metadata: { owner: this.options.workerId },
    });
  }

  #blob(partition: number) {
    return this.options.container.getBlockBlobClient(`default/${this.options.partitionIds[partition]}`);
  }

  async #every(intervalMs: number, work: () => Promise<void>): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      try {
        await this.options.clock.sleep(intervalMs, signal);
      } catch {
        return;
      }
      try {
        await work();
      } catch (error) {
        this.options.logger.warn('Partition lease round failed', { error: String(error) });
      }
    }
  }
}
