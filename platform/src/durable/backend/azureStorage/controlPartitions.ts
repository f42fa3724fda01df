import type { Clock } from '../../../clock/clock';
import type { Logger } from '../../../host/logger';
import type { TaskMessage } from '../types';
import { ControlQueuePoller } from './messaging/controlQueuePoller';
import type { OrchestrationSessions } from './messaging/orchestrationSessions';
import type { TaskHubQueue } from './messaging/taskHubQueue';
import { partitionIndexOf } from './taskHubNames';

/** What the control-queue partitions of one host work with. */
export interface ControlPartitionsOptions {
  /** Control queues in partition order. */
  readonly queues: readonly TaskHubQueue[];
  readonly sessions: OrchestrationSessions;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly batchSize: number;
  readonly visibilityTimeoutMs: number;
  readonly maxPollingIntervalMs: number;
  readonly bufferThreshold: number;
  /** How long a taken-over partition waits before this host works on it (the old owner's renewal period). */
  readonly takeoverGraceMs: number;
  readonly stopping: AbortSignal;
  /** True while this host holds the partition's lease. */
  readonly owns: (partition: number) => boolean;
  /** Called when this host starts working on a partition: caches of its instances may be stale. */
  readonly onStarted: (partition: number) => void;
}

/**
 * The control-queue partitions this host works on: a poller per owned partition feeding the orchestration
 * sessions, and sending to instances with the message claimed at once when this host owns the target partition.
 */
export class ControlPartitions {
  readonly #pollers = new Map<number, ControlQueuePoller>();

  constructor(private readonly options: ControlPartitionsOptions) {}

  /** True while this host receives the partition. */
  isActive(partition: number): boolean {
    return this.#pollers.has(partition);
  }

  /** True while this host receives the partition of the instance. */
  isActiveFor(instanceId: string): boolean {
    return this.isActive(partitionIndexOf(instanceId, this.options.queues.length));
  }

  queue(partition: number): TaskHubQueue {
    return this.options.queues[partition] as TaskHubQueue;
  }

  /**
   * Starts work on an acquired partition. A partition taken over from a live host starts after the grace period:
   * by then the old owner has failed to renew and stopped receiving, so two hosts never work on one instance at
   * the same time (which the ETag makes safe, but which would run the losing episode's activities twice).
   */
  acquired(partition: number, stolen: boolean): void {
    if (!stolen) {
      this.#start(partition);
      return;
    }
    this.options.clock.schedule(this.options.takeoverGraceMs, () => {
      if (this.options.owns(partition) && !this.#pollers.has(partition) && !this.options.stopping.aborted) {
        this.#start(partition);
      }
    });
  }

  /** Stops receiving a partition and makes its buffered messages visible for the new owner. */
  async lost(partition: number): Promise<void> {
    const poller = this.#pollers.get(partition);
    this.#pollers.delete(partition);
    await poller?.stop();
    const dropped = this.options.sessions.dropPartition(partition);
    await Promise.allSettled(dropped.map((message) => this.queue(partition).release(message, 0)));
  }

  /**
   * Sends a message to an instance's control queue. When this host owns the partition the message is claimed and
   * handed to the sessions at once; a delayed message wakes the partition's poller when it falls due.
   */
  async send(message: TaskMessage, sender?: string): Promise<void> {
    const partition = partitionIndexOf(message.instanceId, this.options.queues.length);
    const poller = this.#pollers.get(partition);
    const claim =
      poller !== undefined &&
      !this.options.stopping.aborted &&
      this.options.sessions.pendingCount(partition) < this.options.bufferThreshold;
    const claimForMs = claim ? this.options.visibilityTimeoutMs : undefined;
    const { visibleAt, claimed } = await this.queue(partition).send(message, { sender, claimForMs });
    if (claimed && this.#pollers.get(partition) === poller) {
      this.options.sessions.add(partition, [claimed]);
    } else if (claimed) {
      // The partition moved while sending: leave the message to its new owner.
      await this.queue(partition).release(claimed, 0);
    } else {
      poller?.wakeAt(visibleAt);
    }
  }

  #start(partition: number): void {
    this.options.onStarted(partition);
    const poller = new ControlQueuePoller({
      partition,
      queue: this.queue(partition),
      sessions: this.options.sessions,
      clock: this.options.clock,
      logger: this.options.logger,
      batchSize: this.options.batchSize,
      visibilityTimeoutMs: this.options.visibilityTimeoutMs,
      maxPollingIntervalMs: this.options.maxPollingIntervalMs,
      bufferThreshold: this.options.bufferThreshold,
    });
    this.#pollers.set(partition, poller);
    poller.start();
  }
}
