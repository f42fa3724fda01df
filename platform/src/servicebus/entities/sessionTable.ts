import type { Consumer } from './consumer';
import type { BrokerMessage } from './message';
import { MinHeap } from './minHeap';

/** One session of a session-enabled entity: its receivable messages, its lock and its state. */
export class SessionEntry {
  /** Active messages of the session in sequence order (FIFO within a session). */
  readonly ready = new MinHeap<BrokerMessage>((message) => message.sequenceNumber);
  /** Messages delivered under the session lock and not yet settled. */
  readonly lockedMessages = new Set<BrokerMessage>();
  holder: Consumer | undefined;
  lockedUntil = 0;
  state: Buffer | undefined;
  /** Messages of this session the entity holds in any state. */
  messageCount = 0;

  constructor(readonly id: string) {}

  /** True while a receiver holds the session lock. */
  isHeld(now: number): boolean {
    return this.holder !== undefined && this.lockedUntil > now;
  }
}

/** A receiver waiting in `acceptNextSession` for a free session with messages. */
export interface SessionWaiter {
  readonly consumer: Consumer;
  grant(entry: SessionEntry): void;
}

/** The sessions of one entity, which of them are held, and the receivers waiting for one. */
export class SessionTable {
  private readonly entries = new Map<string, SessionEntry>();
  private readonly held = new Set<SessionEntry>();
  private readonly waiters: SessionWaiter[] = [];

  get(id: string): SessionEntry | undefined {
    return this.entries.get(id);
  }

  entry(id: string): SessionEntry {
    let entry = this.entries.get(id);
    if (!entry) {
      entry = new SessionEntry(id);
      this.entries.set(id, entry);
    }
    return entry;
  }

  hold(entry: SessionEntry, consumer: Consumer, until: number): void {
    entry.holder = consumer;
    entry.lockedUntil = until;
    this.held.add(entry);
  }

  unhold(entry: SessionEntry): void {
    entry.holder = undefined;
    entry.lockedUntil = 0;
    this.held.delete(entry);
    this.forgetIfIdle(entry);
  }

  /** Held sessions whose lock ran out at `now`. */
  expiredHolds(now: number): SessionEntry[] {
    return [...this.held].filter((entry) => entry.lockedUntil <= now);
  }

  /** The free session whose oldest receivable message is oldest, as the service hands out the next session. */
  nextAvailable(now: number, hasReady: (entry: SessionEntry) => boolean): SessionEntry | undefined {
    let best: SessionEntry | undefined;
    for (const entry of this.entries.values()) {
      if (entry.isHeld(now) || !hasReady(entry)) {
        continue;
      }
      const first = entry.ready.peek()?.sequenceNumber ?? Infinity;
      if (!best || first < (best.ready.peek()?.sequenceNumber ?? Infinity)) {
        best = entry;
      }
    }
    return best;
  }

  /** Ids of sessions holding messages or state. */
  ids(): string[] {
    return [...this.entries.values()]
      .filter((entry) => entry.messageCount > 0 || entry.state !== undefined)
      .map((entry) => entry.id);
  }

  all(): IterableIterator<SessionEntry> {
    return this.entries.values();
  }

  addWaiter(waiter: SessionWaiter): void {
    this.waiters.push(waiter);
  }

  removeWaiter(waiter: SessionWaiter): boolean {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) {
      this.waiters.splice(index, 1);
    }
    return index >= 0;
  }

  /** The longest-waiting receiver, removed from the queue. */
  takeWaiter(): SessionWaiter | undefined {
    return this.waiters.shift();
  }

  get hasWaiters(): boolean {
    return this.waiters.length > 0;
  }

  /** Drops an entry that holds nothing, so a stream of one-off sessions does not grow the table. */
  forgetIfIdle(entry: SessionEntry): void {
    if (entry.messageCount === 0 && entry.holder === undefined && entry.state === undefined) {
      this.entries.delete(entry.id);
    }
  }
}
