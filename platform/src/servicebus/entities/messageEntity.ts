import { withApplicationProperties } from '../amqp/messageCodec';
import type { MessageEntitySettings } from '../config/entityConfig';
import { InvalidOperationError, MessageLockLostError, MessageNotFoundError, SessionLockLostError } from '../errors';
import type { MessageJournal } from '../persistence/messageJournal';
import type { Consumer, DeliveredLock, ReceiveMode } from './consumer';
import { LockTable } from './lockTable';
import { toBrokerMessage, type BrokerMessage, type IncomingMessage } from './message';
import { MessageStore } from './messageStore';
import { SessionLocks } from './sessionLocks';
import type { SessionEntry } from './sessionTable';
import { deadLetterReasons, type Settlement } from './settlement';

/** What an entity asks of its namespace: where dead-lettered and due forwarded messages go. */
export interface EntityHooks {
  /**
   * Takes a message this entity has let go, with dead-letter properties already applied; `transfer` marks one
   * that failed auto-forwarding, which goes to the transfer dead-letter sub-queue.
   */
  deadLetter(from: MessageEntity, message: BrokerMessage, now: number, transfer: boolean): void;
  /** Sends on a scheduled message that came due in an entity with ForwardTo. */
  forward(from: MessageEntity, message: BrokerMessage, now: number): void;
}

export interface MessageEntityOptions {
  /** Path clients use: `orders`, `topic/subscriptions/sub`, `orders/$deadletterqueue`. */
  path: string;
  settings: MessageEntitySettings;
  journal: MessageJournal;
  hooks: EntityHooks;
  isDeadLetterQueue: boolean;
}

/** A message handed out by `receiveDeferred`, with its lock in peek-lock mode. */
export interface ReceivedMessage {
  message: BrokerMessage;
  lock: DeliveredLock | undefined;
}

/**
 * A queue, a subscription or a dead-letter sub-queue: hands its messages to consumers in sequence order (per
 * session on session entities) and applies locks, settlement, deferral, scheduling, expiry and dead-lettering.
 */
export class MessageEntity {
  readonly path: string;
  readonly settings: MessageEntitySettings;
  readonly isDeadLetterQueue: boolean;
  readonly journal: MessageJournal;
  private readonly hooks: EntityHooks;
  private readonly sessions: SessionLocks | undefined;
  private readonly store: MessageStore;
  private readonly locks = new LockTable();
  private consumers: Consumer[] = [];
  private rotation = 0;
  private dispatchPending = false;

  constructor(options: MessageEntityOptions) {
    this.path = options.path;
    this.settings = options.settings;
    this.journal = options.journal;
    this.hooks = options.hooks;
    this.isDeadLetterQueue = options.isDeadLetterQueue;
    this.sessions = this.settings.requiresSession ? new SessionLocks(this.sessionHost()) : undefined;
    this.store = new MessageStore(this.sessions?.table);
  }

  /** Messages held in any state (active, locked, deferred, scheduled). */
  get messageCount(): number {
    return this.store.size;
  }

  /** The message with a sequence number, in any state. */
  find(sequenceNumber: number): BrokerMessage | undefined {
    return this.store.find(sequenceNumber);
  }

  /** Accepts a sent message under the sequence number its queue or topic assigned. */
  enqueue(incoming: IncomingMessage, sequenceNumber: number, now: number): BrokerMessage {
    const message = toBrokerMessage(incoming, sequenceNumber, now, this.settings.defaultMessageTimeToLiveMs);
    this.insert(message, now);
    this.journal.enqueued(this.path, message);
    return message;
  }

  /**
   * Sends a message that cannot enter this entity straight to its dead-letter destination (`transfer` for one
   * that failed auto-forwarding from here).
   */
  rejectToDeadLetter(
    incoming: IncomingMessage,
    sequenceNumber: number,
    reason: string,
    now: number,
    transfer = false,
  ): void {
    const message = toBrokerMessage(incoming, sequenceNumber, now, this.settings.defaultMessageTimeToLiveMs);
    message.state = 'active';
    message.bare = withApplicationProperties(message.bare, { DeadLetterReason: reason });
    message.deadLetterSource = this.path;
    this.hooks.deadLetter(this, message, now, transfer);
  }

  /** Takes in a message another entity let go (dead-lettering), keeping its sequence number. */
  adopt(message: BrokerMessage, now: number): void {
    message.lock = undefined;
    message.state = 'active';
    message.scheduledAt = undefined;
    if (this.isDeadLetterQueue) {
      // Dead-letter sub-queues never expire messages (service-bus-dead-letter-queues).
      message.expiresAt = Infinity;
    }
    this.insert(message, now);
    this.journal.enqueued(this.path, message);
  }

  /** Puts back a message read from the journal at start-up. */
  restore(message: BrokerMessage): void {
    this.insert(message, Date.now());
  }

  addConsumer(consumer: Consumer): void {
    this.consumers.push(consumer);
    this.requestDispatch();
  }

  /** Forgets a consumer whose link closed; a session it held is released, message locks stay until expiry. */
  removeConsumer(consumer: Consumer, now: number): void {
    this.consumers = this.consumers.filter((c) => c !== consumer);
    this.sessions?.releaseHeldBy(consumer, now);
  }

  /** Schedules one dispatch pass after the current work, so a batch of arrivals is handed out together. */
  requestDispatch(): void {
    if (!this.dispatchPending) {
      this.dispatchPending = true;
      queueMicrotask(() => {
        this.dispatchPending = false;
        this.dispatchNow(Date.now());
      });
    }
  }

  /** Hands receivable messages to consumers with credit, round-robin, until either runs out. */
  dispatchNow(now: number): void {
    let progress = true;
    while (progress && this.consumers.length > 0) {
      progress = false;
      for (let i = 0; i < this.consumers.length; i++) {
        const consumer = this.consumers[(this.rotation + i) % this.consumers.length] as Consumer;
        if (consumer.available() <= 0) {
          continue;
        }
        const message = this.takeReady(consumer, now);
        if (message) {
          this.handOver(message, consumer, now);
          progress = true;
        }
      }
      this.rotation = (this.rotation + 1) % Math.max(1, this.consumers.length);
    }
  }

  /** Applies a receiver's decision to the message a lock token holds. */
  settle(token: string, settlement: Settlement, now: number): void {
    const message = this.lockedMessage(token, now);
    const lockSession = message.lock?.sessionId;
    this.locks.release(message);
    if (lockSession !== undefined) {
      this.sessions?.table.get(lockSession)?.lockedMessages.delete(message);
    }
    switch (settlement.kind) {
      case 'complete':
        this.remove(message);
        break;
      case 'abandon':
        this.modify(message, settlement.propertiesToModify);
        this.returnAfterAttempt(message, now);
        break;
      case 'defer':
        this.modify(message, settlement.propertiesToModify);
        message.state = 'deferred';
        this.journal.updated(this.path, message, false);
        break;
      case 'deadLetter':
        this.deadLetter(message, settlement.reason, settlement.description, settlement.propertiesToModify, now);
        break;
    }
  }

  /** Extends a message lock by the lock duration; session-covered messages report their session's lock. */
  renewLock(token: string, now: number): number {
    const message = this.lockedMessage(token, now);
    const sessionId = message.lock?.sessionId;
    if (sessionId !== undefined) {
      return this.sessions?.table.get(sessionId)?.lockedUntil ?? now;
    }
    const until = now + this.settings.lockDurationMs;
    this.locks.renew(message, until);
    return until;
  }

  /** Receives deferred messages by sequence number; every number must name an unlocked deferred message. */
  receiveDeferred(sequenceNumbers: number[], mode: ReceiveMode, now: number): ReceivedMessage[] {
    const found = sequenceNumbers.map((n) => this.store.find(n));
    const missing = sequenceNumbers.filter((_, i) => found[i]?.state !== 'deferred' || found[i]?.lock !== undefined);
    if (missing.length > 0) {
      throw new MessageNotFoundError(this.path, missing);
    }
    return (found as BrokerMessage[]).map((message) => {
      if (mode === 'receiveAndDelete') {
        this.remove(message);
        return { message, lock: undefined };
      }
      message.deliveryCount++;
      const until = now + this.settings.lockDurationMs;
      return { message, lock: { token: this.locks.lock(message, until, undefined), until } };
    });
  }

  /** Removes scheduled messages not yet enqueued; unknown numbers are ignored. */
  cancelScheduled(sequenceNumbers: number[]): void {
    for (const sequenceNumber of sequenceNumbers) {
      const message = this.store.find(sequenceNumber);
      if (message?.state === 'scheduled') {
        this.remove(message);
      }
    }
  }

  /** Up to `count` messages from `fromSequenceNumber` on, in any state, without locking them. */
  peek(fromSequenceNumber: number, count: number, sessionId: string | undefined): BrokerMessage[] {
    return this.store.peek(fromSequenceNumber, count, sessionId);
  }

  /** Session locks and state; throws InvalidOperationError on an entity that is not session-enabled. */
  sessionLocks(): SessionLocks {
    if (!this.sessions) {
      throw new InvalidOperationError(
        `'${this.path}' is not session-enabled: receive from it without a session (RequiresSession is false).`,
        this.path,
      );
    }
    return this.sessions;
  }

  /** Restores a session state read from the journal. */
  restoreSessionState(sessionId: string, state: Buffer): void {
    this.sessions?.restoreState(sessionId, state);
  }

  /** Runs the clock: lock and session-lock expiry, scheduled messages coming due, TTL expiry. */
  tick(now: number): void {
    for (const message of this.locks.takeExpired(now)) {
      this.returnAfterAttempt(message, now);
    }
    this.sessions?.expire(now);
    for (const message of this.store.takeDueScheduled(now)) {
      this.activate(message, now);
    }
    for (const message of this.store.takeExpired(now)) {
      this.expire(message, now);
    }
  }

  forEachMessage(visit: (message: BrokerMessage) => void): void {
    this.store.forEach(visit);
  }

  forEachSessionState(visit: (sessionId: string, state: Buffer) => void): void {
    for (const entry of this.sessions?.table.all() ?? []) {
      if (entry.state !== undefined) {
        visit(entry.id, entry.state);
      }
    }
  }

  private sessionHost() {
    return {
      path: this.path,
      lockDurationMs: this.settings.lockDurationMs,
      journal: this.journal,
      hasReady: (entry: SessionEntry, now: number) =>
        this.store.hasReady(entry, now, (message) => this.expire(message, now)),
      renewMessageLocks: (messages: Iterable<BrokerMessage>, until: number) => {
        for (const message of messages) {
          this.locks.renew(message, until);
        }
      },
      releaseMessages: (messages: BrokerMessage[], now: number) => {
        for (const message of messages) {
          this.locks.release(message);
          this.returnAfterAttempt(message, now);
        }
      },
    };
  }

  private insert(message: BrokerMessage, now: number): void {
    const entry = this.store.insert(message);
    if (message.state === 'active') {
      this.becameReady(entry, now);
    }
  }

  private makeReady(message: BrokerMessage, now: number): void {
    this.becameReady(this.store.markReady(message), now);
  }

  private becameReady(entry: SessionEntry | undefined, now: number): void {
    if (entry) {
      this.sessions?.offerToWaiter(entry, now);
    }
    this.requestDispatch();
  }

  private remove(message: BrokerMessage): void {
    this.detach(message);
    this.journal.removed(this.path, message.sequenceNumber);
  }

  private detach(message: BrokerMessage): void {
    this.locks.release(message);
    this.store.remove(message);
  }

  private takeReady(consumer: Consumer, now: number): BrokerMessage | undefined {
    let entry: SessionEntry | undefined;
    if (this.sessions) {
      entry = this.sessions.heldBy(consumer, now);
      if (!entry) {
        return undefined;
      }
    }
    return this.store.takeReady(entry, now, (message) => this.expire(message, now));
  }

  private handOver(message: BrokerMessage, consumer: Consumer, now: number): void {
    if (consumer.receiveMode === 'receiveAndDelete') {
      this.remove(message);
      consumer.deliver(message, undefined);
      return;
    }
    // Not journalled on its own: after a restart a message locked at the time shows its last journalled count.
    message.deliveryCount++;
    const entry = this.sessions?.heldBy(consumer, now);
    const until = entry ? entry.lockedUntil : now + this.settings.lockDurationMs;
    const token = this.locks.lock(message, until, entry?.id);
    entry?.lockedMessages.add(message);
    consumer.deliver(message, { token, until });
  }

  /** The message a token locks, checking that its lock (or its session's lock) still holds. */
  private lockedMessage(token: string, now: number): BrokerMessage {
    const message = this.locks.get(token);
    if (!message?.lock) {
      throw new MessageLockLostError(this.path, token);
    }
    const sessionId = message.lock.sessionId;
    if (sessionId !== undefined) {
      if (!this.sessions?.table.get(sessionId)?.isHeld(now)) {
        throw new SessionLockLostError(this.path, sessionId);
      }
    } else if (message.lock.until <= now) {
      this.locks.release(message);
      this.returnAfterAttempt(message, now);
      throw new MessageLockLostError(this.path, token);
    }
    return message;
  }

  /** After an attempt failed (abandon, lock expiry): dead-letter past MaxDeliveryCount, else receivable again. */
  private returnAfterAttempt(message: BrokerMessage, now: number): void {
    if (!this.isDeadLetterQueue && message.deliveryCount >= this.settings.maxDeliveryCount) {
      const description = `Message could not be consumed after ${message.deliveryCount} delivery attempts.`;
      this.deadLetter(message, deadLetterReasons.maxDeliveryCountExceeded, description, undefined, now);
      return;
    }
    this.journal.updated(this.path, message, false);
    if (message.expiresAt <= now) {
      this.expire(message, now);
    } else if (message.state === 'active') {
      this.makeReady(message, now);
    }
  }

  private modify(message: BrokerMessage, properties: Record<string, unknown> | undefined): void {
    if (properties && Object.keys(properties).length > 0) {
      message.bare = withApplicationProperties(message.bare, properties);
      this.journal.updated(this.path, message, true);
    }
  }

  private deadLetter(
    message: BrokerMessage,
    reason: string | undefined,
    description: string | undefined,
    properties: Record<string, unknown> | undefined,
    now: number,
  ): void {
    if (this.isDeadLetterQueue) {
      throw new InvalidOperationError(`Messages in '${this.path}' cannot be dead-lettered again.`, this.path);
    }
    const patch: Record<string, unknown> = { ...properties };
    if (reason !== undefined) {
      patch.DeadLetterReason = reason;
    }
    if (description !== undefined) {
      patch.DeadLetterErrorDescription = description;
    }
    this.detach(message);
    if (Object.keys(patch).length > 0) {
      message.bare = withApplicationProperties(message.bare, patch);
    }
    message.deadLetterSource = this.path;
    // The copy is journalled into its new home before the removal here: a torn write duplicates, never loses.
    this.hooks.deadLetter(this, message, now, false);
    this.journal.removed(this.path, message.sequenceNumber);
  }

  private expire(message: BrokerMessage, now: number): void {
    if (this.settings.deadLetteringOnMessageExpiration && !this.isDeadLetterQueue) {
      this.deadLetter(
        message,
        deadLetterReasons.ttlExpired,
        'The message expired and was dead lettered.',
        undefined,
        now,
      );
    } else {
      this.remove(message);
    }
  }

  /** A scheduled message came due: receivable here, or sent on when the entity forwards. */
  private activate(message: BrokerMessage, now: number): void {
    message.state = 'active';
    message.scheduledAt = undefined;
    if (this.settings.forwardTo !== undefined) {
      this.detach(message);
      this.hooks.forward(this, message, now);
      this.journal.removed(this.path, message.sequenceNumber);
    } else {
      this.journal.updated(this.path, message, false);
      this.makeReady(message, now);
    }
  }
}
