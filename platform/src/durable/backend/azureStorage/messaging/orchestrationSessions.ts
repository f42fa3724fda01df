import { isEntityInstanceId } from '../../types';
import type { DequeuedMessage } from './taskHubQueue';
import { WaiterQueue } from './waiterQueue';

/** Messages of one instance handed out together, with the partition they came from. */
export interface SessionBatch {
  readonly instanceId: string;
  readonly partition: number;
  readonly messages: DequeuedMessage[];
}

/** Orchestrations and entities are taken by separate dispatchers (DTFx's entity work-item queue). */
export type SessionKind = 'orchestration' | 'entity';

/**
 * Received control-queue messages grouped by instance, and the instances currently locked by a dispatcher: an
 * instance is handed to one work item at a time, and messages arriving meanwhile wait for the next one.
 */
export class OrchestrationSessions {
  readonly #pending = new Map<string, { partition: number; messages: DequeuedMessage[] }>();
  /** Messages kept back for an instance until a new message for it arrives (a suspended orchestration). */
  readonly #parked = new Map<string, { partition: number; messages: DequeuedMessage[] }>();
  readonly #ready: Record<SessionKind, string[]> = { orchestration: [], entity: [] };
  readonly #locked = new Set<string>();
  readonly #known = new Map<string, DequeuedMessage>();
  readonly #waiters: Record<SessionKind, WaiterQueue<SessionBatch>> = {
    orchestration: new WaiterQueue<SessionBatch>(),
    entity: new WaiterQueue<SessionBatch>(),
  };

  /** Buffered, not yet handed out, messages of a partition (for the buffer threshold). */
  pendingCount(partition: number): number {
    let count = 0;
    for (const entry of this.#pending.values()) {
      if (entry.partition === partition) {
        count += entry.messages.length;
      }
    }
    return count;
  }

  /**
   * Adds received messages. A message received again (its visibility lapsed while buffered or locked) keeps one
   * entry with the newest pop receipt.
   */
  add(partition: number, messages: readonly DequeuedMessage[]): void {
    for (const message of messages) {
      const known = this.#known.get(message.messageId);
      if (known) {
        known.popReceipt = message.popReceipt;
        continue;
      }
      this.#known.set(message.messageId, message);
      const instanceId = message.message.instanceId;
      let entry = this.#pending.get(instanceId);
      if (!entry) {
        entry = { partition, messages: this.#parked.get(instanceId)?.messages ?? [] };
        this.#parked.delete(instanceId);
        this.#pending.set(instanceId, entry);
        if (!this.#locked.has(instanceId)) {
          this.#ready[kindOf(instanceId)].push(instanceId);
        }
      }
      entry.messages.push(message);
    }
    this.#dispatch();
  }

  /** Waits for an unlocked instance of the kind with messages and locks it; undefined when the signal aborts. */
  take(signal: AbortSignal, kind: SessionKind = 'orchestration'): Promise<SessionBatch | undefined> {
    const batch = this.#next(kind);
    if (batch || signal.aborted) {
      return Promise.resolve(batch);
    }
    return this.#waiters[kind].wait(signal);
  }

  /** Unlocks an instance; the given messages are forgotten (deleted or released by the caller). */
  unlock(instanceId: string, handled: readonly DequeuedMessage[]): void {
    for (const message of handled) {
      this.#known.delete(message.messageId);
    }
    this.#locked.delete(instanceId);
    if (this.#pending.has(instanceId)) {
      this.#ready[kindOf(instanceId)].push(instanceId);
      this.#dispatch();
    }
  }

  /**
   * Keeps messages of a locked instance back until the next new message for it arrives, then hands them out ahead
   * of it. They stay known, so a lapsed visibility that brings them back only refreshes their receipt. Messages
   * that arrived while the instance was locked are that next message already.
   */
  park(instanceId: string, partition: number, messages: readonly DequeuedMessage[]): void {
    if (messages.length === 0) {
      return;
    }
    const entry = this.#pending.get(instanceId) ?? this.#parked.get(instanceId);
    if (entry) {
      entry.messages.unshift(...messages);
      return;
    }
    this.#parked.set(instanceId, { partition, messages: [...messages] });
  }

  /** Drops the buffered and parked messages of a partition this host no longer owns and returns them for release. */
  dropPartition(partition: number): DequeuedMessage[] {
    const dropped: DequeuedMessage[] = [];
    for (const held of [this.#pending, this.#parked]) {
      for (const [instanceId, entry] of held) {
        if (entry.partition === partition) {
          held.delete(instanceId);
          dropped.push(...entry.messages);
        }
      }
    }
    for (const message of dropped) {
      this.#known.delete(message.messageId);
    }
    return dropped;
  }

  /** Resolves every waiting `take` with undefined (shutdown). */
  close(): void {
    this.#waiters.orchestration.close();
    this.#waiters.entity.close();
  }

  #next(kind: SessionKind): SessionBatch | undefined {
    const ready = this.#ready[kind];
    while (ready.length > 0) {
      const instanceId = ready.shift() as string;
      const entry = this.#pending.get(instanceId);
      if (!entry || this.#locked.has(instanceId)) {
        continue;
      }
      this.#pending.delete(instanceId);
      this.#locked.add(instanceId);
      return { instanceId, partition: entry.partition, messages: entry.messages };
    }
    return undefined;
  }

  #dispatch(): void {
    for (const kind of ['orchestration', 'entity'] as const) {
      const waiters = this.#waiters[kind];
      while (waiters.length > 0) {
        const batch = this.#next(kind);
        if (!batch) {
          break;
        }
        waiters.serve(batch);
      }
    }
  }
}

function kindOf(instanceId: string): SessionKind {
  return isEntityInstanceId(instanceId) ? 'entity' : 'orchestration';
}
