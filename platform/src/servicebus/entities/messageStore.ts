import type { BrokerMessage } from './message';
import { MinHeap } from './minHeap';
import type { SessionEntry, SessionTable } from './sessionTable';

/**
 * The messages of one entity, indexed for delivery in sequence order (one order per session on session
 * entities), for scheduled enqueue times and for expiry. It holds no policy: the entity decides what happens.
 * Heaps keep entries of messages that since left or changed state; they are skipped when they surface.
 */
export class MessageStore {
  private readonly messages = new Map<number, BrokerMessage>();
  private readonly ready = new MinHeap<BrokerMessage>((message) => message.sequenceNumber);
  private readonly scheduled = new MinHeap<BrokerMessage>((message) => message.scheduledAt ?? 0);
  private readonly expiries = new MinHeap<BrokerMessage>((message) => message.expiresAt);
  /** While messages arrive in sequence order, peeks can stop early. */
  private insertedInOrder = true;
  private lastInserted = 0;

  /** `sessions` is given on session entities: their messages wait per session. */
  constructor(private readonly sessions: SessionTable | undefined) {}

  get size(): number {
    return this.messages.size;
  }

  find(sequenceNumber: number): BrokerMessage | undefined {
    return this.messages.get(sequenceNumber);
  }

  forEach(visit: (message: BrokerMessage) => void): void {
    this.messages.forEach(visit);
  }

  /** Adds a message in any state; an active one becomes receivable (see `markReady`). */
  insert(message: BrokerMessage): SessionEntry | undefined {
    if (message.sequenceNumber < this.lastInserted) {
      this.insertedInOrder = false;
    }
    this.lastInserted = Math.max(this.lastInserted, message.sequenceNumber);
    this.messages.set(message.sequenceNumber, message);
    const entry = this.sessionOf(message);
    if (entry) {
      entry.messageCount++;
    }
    if (Number.isFinite(message.expiresAt)) {
      this.expiries.push(message);
    }
    if (message.state === 'scheduled') {
      this.scheduled.push(message);
    } else if (message.state === 'active') {
      return this.markReady(message);
    }
    return undefined;
  }

  /** Makes an active, unlocked message receivable; returns the session it waits in, on session entities. */
  markReady(message: BrokerMessage): SessionEntry | undefined {
    const entry = this.sessionOf(message);
    (entry ? entry.ready : this.ready).push(message);
    return entry;
  }

  remove(message: BrokerMessage): void {
    this.messages.delete(message.sequenceNumber);
    const entry = message.sessionId !== undefined ? this.sessions?.get(message.sessionId) : undefined;
    if (entry && this.sessions) {
      entry.messageCount--;
      entry.lockedMessages.delete(message);
      this.sessions.forgetIfIdle(entry);
    }
  }

  /** Still held here, active and unlocked. */
  isReceivable(message: BrokerMessage): boolean {
    return this.messages.get(message.sequenceNumber) === message && message.state === 'active' && !message.lock;
  }

  /**
   * The next receivable message, from the entity's order or from one session's. Expired messages met on the
   * way go to `onExpired`.
   */
  takeReady(
    entry: SessionEntry | undefined,
    now: number,
    onExpired: (message: BrokerMessage) => void,
  ): BrokerMessage | undefined {
    const heap = entry ? entry.ready : this.ready;
    for (let message = heap.pop(); message; message = heap.pop()) {
      if (!this.isReceivable(message)) {
        continue;
      }
      if (message.expiresAt <= now) {
        onExpired(message);
        continue;
      }
      return message;
    }
    return undefined;
  }

  /** Whether a session has a receivable message, dropping stale and expired entries from its front. */
  hasReady(entry: SessionEntry, now: number, onExpired: (message: BrokerMessage) => void): boolean {
    for (let message = entry.ready.peek(); message; message = entry.ready.peek()) {
      if (this.isReceivable(message) && message.expiresAt > now) {
        return true;
      }
      entry.ready.pop();
      if (this.isReceivable(message)) {
        onExpired(message);
      }
    }
    return false;
  }

  /** Up to `count` messages from `fromSequenceNumber` on, in any state, in sequence order. */
  peek(fromSequenceNumber: number, count: number, sessionId: string | undefined): BrokerMessage[] {
    const matches: BrokerMessage[] = [];
    for (const message of this.messages.values()) {
      if (message.sequenceNumber < fromSequenceNumber || (sessionId !== undefined && message.sessionId !== sessionId)) {
        continue;
      }
      matches.push(message);
      if (this.insertedInOrder && matches.length >= count) {
        break;
      }
    }
    return matches.sort((a, b) => a.sequenceNumber - b.sequenceNumber).slice(0, count);
  }

  /** Scheduled messages whose enqueue time has come, taken off the schedule. */
  takeDueScheduled(now: number): BrokerMessage[] {
    const due: BrokerMessage[] = [];
    for (
      let message = this.scheduled.peek();
      message && (message.scheduledAt ?? 0) <= now;
      message = this.scheduled.peek()
    ) {
      this.scheduled.pop();
      if (this.messages.get(message.sequenceNumber) === message && message.state === 'scheduled') {
        due.push(message);
      }
    }
    return due;
  }

  /** Held, unlocked, not scheduled messages whose time to live ran out. Locked ones expire when unlocked. */
  takeExpired(now: number): BrokerMessage[] {
    const expired: BrokerMessage[] = [];
    for (let message = this.expiries.peek(); message && message.expiresAt <= now; message = this.expiries.peek()) {
      this.expiries.pop();
      if (this.messages.get(message.sequenceNumber) === message && message.state !== 'scheduled' && !message.lock) {
        expired.push(message);
      }
    }
    return expired;
  }

  private sessionOf(message: BrokerMessage): SessionEntry | undefined {
    return this.sessions && message.sessionId !== undefined ? this.sessions.entry(message.sessionId) : undefined;
  }
}
