import type { Clock } from '../../../clock/clock';
import { WorkItemLostError } from '../errors';
import { EventType, type ActivityWorkItem, type TaskMessage } from '../types';
import { withTimeout } from './async';
import type { DequeuedMessage, TaskHubQueue } from './messaging/taskHubQueue';
import type { WorkItemPoller } from './messaging/workItemPoller';
import { failedWith } from './storageErrors';
import type { HistoryStore } from './tracking/historyStore';

/** What the activity side of the task hub works with. */
export interface ActivityWorkItemsOptions {
  readonly queue: TaskHubQueue;
  readonly poller: WorkItemPoller;
  readonly history: HistoryStore;
  readonly clock: Clock;
  readonly maxPollingIntervalMs: number;
  readonly visibilityTimeoutMs: number;
  /** Aborted when the backend stops. */
  readonly stopping: AbortSignal;
  /** True when this host owns the instance's partition (its cached history is current). */
  readonly ownsInstance: (instanceId: string) => boolean;
  /** Sends an activity's response to its orchestration's control queue. */
  readonly sendResponse: (response: TaskMessage, sender: string) => Promise<void>;
}

// Activity messages claimed at send time beyond this many waiting ones are left on the queue for any host.
const maxClaimedActivities = 64;

/**
 * The work-item queue side of the task hub: activity messages sent (claimed by this host while its dispatchers
 * keep up), locked, renewed, completed by sending the response before deleting the message, or abandoned.
 */
export class ActivityWorkItems {
  readonly #locked = new Map<string, DequeuedMessage>();

  constructor(private readonly options: ActivityWorkItemsOptions) {}

  /** Sends an activity message, handing it straight to this host's dispatchers when they are not far behind. */
  async send(message: TaskMessage, sender?: string): Promise<void> {
    const { poller, queue } = this.options;
    const claim = !this.options.stopping.aborted && poller.bufferedCount < maxClaimedActivities;
    const { claimed } = await queue.send(message, {
      sender,
      claimForMs: claim ? this.options.visibilityTimeoutMs : undefined,
    });
    if (claimed) {
      poller.inject(claimed);
    } else {
      poller.wake();
    }
  }

  async lockNext(signal: AbortSignal): Promise<ActivityWorkItem | undefined> {
    const { clock, maxPollingIntervalMs, stopping, poller } = this.options;
    for (;;) {
      const message = await withTimeout(clock, maxPollingIntervalMs, [signal, stopping], (s) => poller.take(s));
      if (!message) {
        return undefined;
      }
      if (!message.claimed && (await this.#checkedCompletion(message))) {
        await this.options.queue.deleteIfHeld(message);
        continue;
      }
      this.#locked.set(message.messageId, message);
      return { id: message.messageId, dequeueCount: message.dequeueCount, message: message.message };
    }
  }

  async renew(workItem: ActivityWorkItem): Promise<void> {
    await this.options.queue.release(this.#message(workItem), this.options.visibilityTimeoutMs);
  }

  /** Sends the response first, then deletes the activity message: a crash in between runs the activity again. */
  async complete(workItem: ActivityWorkItem, response: TaskMessage): Promise<void> {
    const message = this.#message(workItem);
    await this.options.sendResponse(response, workItem.message.instanceId);
    this.#locked.delete(workItem.id);
    try {
      await this.options.queue.delete(message);
    } catch (error) {
      if (failedWith(error, 400, 404)) {
        throw new WorkItemLostError(workItem.message.instanceId, 'its lock expired and the message was redelivered');
      }
      throw error;
    }
  }

  async abandon(workItem: ActivityWorkItem, delayMs: number): Promise<void> {
    const message = this.#message(workItem);
    this.#locked.delete(workItem.id);
    try {
      await this.options.queue.release(message, delayMs);
    } catch (error) {
      if (!failedWith(error, 400, 404)) {
        throw error;
      }
    }
  }

  /** Releases messages received but never handed out, so another host can run them (shutdown). */
  async releaseBuffered(): Promise<void> {
    await Promise.allSettled(this.options.poller.drainBuffer().map((m) => this.options.queue.release(m, 0)));
  }

  #message(workItem: ActivityWorkItem): DequeuedMessage {
    const message = this.#locked.get(workItem.id);
    if (!message) {
      throw new WorkItemLostError(workItem.message.instanceId, 'it was already completed or abandoned');
    }
    return message;
  }

  /** `#completionRecorded`, releasing the message for a later try when the history cannot be read. */
  async #checkedCompletion(message: DequeuedMessage): Promise<boolean> {
    try {
      return await this.#completionRecorded(message);
    } catch (error) {
      await this.options.queue.release(message, 0).catch(() => undefined);
      throw error;
    }
  }

  /**
   * True when the orchestration's history already holds this activity's completion: the host that ran it crashed
   * after its response was checkpointed but before it deleted the activity message. Running it again would repeat
   * a side effect whose result is already recorded, so the message is dropped instead. Messages this host sent and
   * claimed itself cannot be in that state and skip the check.
   */
  async #completionRecorded(message: DequeuedMessage): Promise<boolean> {
    const { instanceId, executionId, event } = message.message;
    const { history } = this.options;
    const loaded = this.options.ownsInstance(instanceId)
      ? await history.load(instanceId)
      : await history.read(instanceId);
    if (executionId !== undefined && loaded.executionId !== executionId) {
      return false;
    }
    return loaded.events.some(
      (e) =>
        (e.EventType === EventType.TaskCompleted || e.EventType === EventType.TaskFailed) &&
        e.TaskScheduledId === event.EventId,
    );
  }
}
