import { SessionCannotBeLockedError, SessionLockLostError } from '../errors';
import type { MessageJournal } from '../persistence/messageJournal';
import type { Consumer } from './consumer';
import type { BrokerMessage } from './message';
import { SessionTable, type SessionEntry, type SessionWaiter } from './sessionTable';

/** What session locking needs from its entity. */
export interface SessionHost {
  readonly path: string;
  readonly lockDurationMs: number;
  readonly journal: MessageJournal;
  /** Whether a session has a message ready to deliver. */
  hasReady(entry: SessionEntry, now: number): boolean;
  /** Moves the locks of messages delivered under a session to a new expiry. */
  renewMessageLocks(messages: Iterable<BrokerMessage>, until: number): void;
  /** The session lock ended with these messages unsettled: each counts a failed attempt. */
  releaseMessages(messages: BrokerMessage[], now: number): void;
}

/**
 * Session locks of a session entity: accepting a named or the next free session, renewal, expiry, session
 * state, and receivers waiting in `acceptNextSession` (learn.microsoft.com, service-bus-messaging/message-sessions).
 */
export class SessionLocks {
  readonly table = new SessionTable();

  constructor(private readonly host: SessionHost) {}

  /**
   * Locks a named session (free, or held under an expired lock) or, with `undefined`, the next free session with
   * messages. Returns undefined when no session is free; throws when the named one is held.
   */
  accept(sessionId: string | undefined, consumer: Consumer, now: number): SessionEntry | undefined {
    const entry =
      sessionId !== undefined
        ? this.table.entry(sessionId)
        : this.table.nextAvailable(now, (candidate) => this.host.hasReady(candidate, now));
    if (!entry) {
      return undefined;
    }
    if (entry.isHeld(now)) {
      throw new SessionCannotBeLockedError(this.host.path, entry.id);
    }
    const previousHolder = entry.holder;
    if (previousHolder) {
      this.release(entry, now);
      previousHolder.sessionLockLost();
    }
    this.table.hold(entry, consumer, now + this.host.lockDurationMs);
    return entry;
  }

  wait(waiter: SessionWaiter): void {
    this.table.addWaiter(waiter);
  }

  cancelWait(waiter: SessionWaiter): boolean {
    return this.table.removeWaiter(waiter);
  }

  renew(sessionId: string, now: number): number {
    const entry = this.held(sessionId, now);
    entry.lockedUntil = now + this.host.lockDurationMs;
    this.host.renewMessageLocks(entry.lockedMessages, entry.lockedUntil);
    return entry.lockedUntil;
  }

  getState(sessionId: string, now: number): Buffer | undefined {
    return this.held(sessionId, now).state;
  }

  setState(sessionId: string, state: Buffer | undefined, now: number): void {
    this.held(sessionId, now).state = state;
    this.host.journal.sessionStateSet(this.host.path, sessionId, state);
  }

  restoreState(sessionId: string, state: Buffer): void {
    this.table.entry(sessionId).state = state;
  }

  /** Ids of sessions with messages or state, for `get-message-sessions`. */
  ids(): string[] {
    return this.table.ids();
  }

  /** The session a receiver's link holds, if any and still locked. */
  heldBy(consumer: Consumer, now: number): SessionEntry | undefined {
    const entry = consumer.sessionId !== undefined ? this.table.get(consumer.sessionId) : undefined;
    return entry?.holder === consumer && entry.isHeld(now) ? entry : undefined;
  }

  /** The receiver closed: its session is free again. */
  releaseHeldBy(consumer: Consumer, now: number): void {
    const entry = consumer.sessionId !== undefined ? this.table.get(consumer.sessionId) : undefined;
    if (entry?.holder === consumer) {
      this.release(entry, now);
    }
  }

  /** Ends session locks that ran out, and tells their receivers (the SDK sees SessionLockLost). */
  expire(now: number): void {
    for (const entry of this.table.expiredHolds(now)) {
      const holder = entry.holder;
      this.release(entry, now);
      holder?.sessionLockLost();
    }
  }

  /** A session got a receivable message or became free: hand it to the longest-waiting `acceptNextSession`. */
  offerToWaiter(entry: SessionEntry, now: number): void {
    if (!this.table.hasWaiters || entry.isHeld(now) || !this.host.hasReady(entry, now)) {
      return;
    }
    const waiter = this.table.takeWaiter();
    if (waiter) {
      this.table.hold(entry, waiter.consumer, now + this.host.lockDurationMs);
      waiter.grant(entry);
    }
  }

  private held(sessionId: string, now: number): SessionEntry {
    const entry = this.table.get(sessionId);
    if (!entry?.isHeld(now)) {
      throw new SessionLockLostError(this.host.path, sessionId);
    }
    return entry;
  }

  private release(entry: SessionEntry, now: number): void {
    const locked = [...entry.lockedMessages];
    entry.lockedMessages.clear();
    this.table.unhold(entry);
    this.host.releaseMessages(locked, now);
    this.offerToWaiter(entry, now);
  }
}
