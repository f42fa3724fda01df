import { withApplicationProperties } from '../amqp/messageCodec';
import type { MessageEntitySettings } from '../config/entityConfig';
import {
  InvalidOperationError,
  MessageLockLostError,
  MessageNotFoundError,
  SessionCannotBeLockedError,
  SessionLockLostError,
} from '../errors';
import type { MessageJournal } from '../persistence/messageJournal';
import type { Consumer, DeliveredLock, ReceiveMode } from './consumer';
import { LockTable } from './lockTable';
import type { BrokerMessage, IncomingMessage } from './message';
import { MinHeap } from './minHeap';
import { SessionTable, type SessionEntry, type SessionWaiter } from './sessionTable';
import { deadLetterReasons, type Settlement } from './settlement';

/** What an entity asks of its namespace: where dead-lettered messages go. */
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
 * A queue, a subscription or a dead-letter sub-queue: holds messages, hands them to consumers in sequence
 * order (per session on session entities), and applies locks, settlement, deferral, scheduling and expiry.
 */
export class MessageEntity {
  readonly path: string;
  readonly settings: MessageEntitySettings;
  readonly isDeadLetterQueue: boolean;
  readonly sessions = new SessionTable();
  private readonly journal: MessageJournal;
  private readonly hooks: EntityHooks;
  private readonly messages = new Map<number, BrokerMessage>();
  private readonly ready = new MinHeap<BrokerMessage>((message) => message.sequenceNumber);
  private readonly scheduled = new MinHeap<BrokerMessage>((message) => message.scheduledAt ?? 0);
  private readonly expiries = new MinHeap<BrokerMessage>((message) => message.expiresAt);
  private readonly locks = new LockTable();
  private consumers: Consumer[] = [];
  private rotation = 0;
  private dispatchPending = false;
  /** While messages arrive in sequence order, peeks can stop early. */
  private insertedInOrder = true;
  private lastInserted = 0;

  constructor(options: MessageEntityOptions) {
    this.path = options.path;
    this.settings = options.settings;
    this.journal = options.journal;
    this.hooks = options.hooks;
    this.isDeadLetterQueue = options.isDeadLetterQueue;
  }

  /** Messages held in any state (active, locked, deferred, scheduled). */
  get messageCount(): number {
    return this.messages.size;
  }

  /** The message with a sequence number, in any state. */
  find(sequenceNumber: number): BrokerMessage | undefined {
    return this.messages.get(sequenceNumber);
  }

  /** Accepts a sent message under the sequence number its queue or topic assigned. */
  enqueue(incoming: IncomingMessage, sequenceNumber: number, now: number): BrokerMessage {
    const message = this.createMessage(incoming, sequenceNumber, now);
    this.insert(message);
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
    const message = this.createMessage(incoming, sequenceNumber, now);
    message.state = 'active';
    message.bare = withApplicationProperties(message.bare, { DeadLetterReason: reason });
    message.deadLetterSource = this.path;
    this.hooks.deadLetter(this, message, now, transfer);
  }

  /** Takes in a message another entity let go (dead-lettering), keeping its sequence number. */
  adopt(message: BrokerMessage): void {
    message.lock = undefined;
    message.state = 'active';
    message.scheduledAt = undefined;
    if (this.isDeadLetterQueue) {
      // Dead-letter sub-queues never expire messages (service-bus-dead-letter-queues).
      message.expiresAt = Infinity;
    }
    this.insert(message);
    this.journal.enqueued(this.path, message);
  }

  /** Puts back a message read from the journal at start-up. */
  restore(message: BrokerMessage): void {
    this.insert(message);
  }

  addConsumer(consumer: Consumer): void {
    this.consumers.push(consumer);
    this.requestDispatch();
  }

  /** Forgets a consumer whose link closed; a session it held is released, message locks stay until expiry. */
  removeConsumer(consumer: Consumer, now: number): void {
    this.consumers = this.consumers.filter((c) => c !== consumer);
    if (consumer.sessionId !== undefined) {
      const entry = this.sessions.get(consumer.sessionId);
      if (entry?.holder === consumer) {
        this.releaseSession(entry, now);
      }
    }
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
    this.releaseLock(message);
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
    if (lockSession !== undefined) {
      this.sessions.get(lockSession)?.lockedMessages.delete(message);
    }
  }

  /** Extends a message lock by the lock duration; session-covered messages report their session's lock. */
  renewLock(token: string, now: number): number {
    const message = this.lockedMessage(token, now);
    const sessionId = message.lock?.sessionId;
    if (sessionId !== undefined) {
      return this.sessions.get(sessionId)?.lockedUntil ?? now;
    }
    const until = now + this.settings.lockDurationMs;
    this.locks.renew(message, until);
    return until;
  }

  /** Receives deferred messages by sequence number; every number must name a deferred message. */
  receiveDeferred(sequenceNumbers: number[], mode: ReceiveMode, now: number): ReceivedMessage[] {
    const found = sequenceNumbers.map((n) => this.messages.get(n));
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
      const message = this.messages.get(sequenceNumber);
      if (message?.state === 'scheduled') {
        this.remove(message);
      }
    }
  }

  /** Up to `count` messages from `fromSequenceNumber` on, in any state, without locking them. */
  peek(fromSequenceNumber: number, count: number, sessionId: string | undefined): BrokerMessage[] {
    const matches: BrokerMessage[] = [];
    for (const message of this.messages.values()) {
      if (message.sequenceNumber < fromSequenceNumber) {
        continue;
      }
      if (sessionId !== undefined && message.sessionId !== sessionId) {
        continue;
      }
      matches.push(message);
      if (this.insertedInOrder && matches.length >= count) {
        break;
      }
    }
    return matches.sort((a, b) => a.sequenceNumber - b.sequenceNumber).slice(0, count);
  }

  /**
   * Locks a session for a consumer: a named one (free or expired), or with `undefined` the next free session
   * with messages. Returns undefined when no session is free yet; throws when the named one is held.
   */
  acceptSession(sessionId: string | undefined, consumer: Consumer, now: number): SessionEntry | undefined {
    this.requireSessions();
    const entry =
      sessionId !== undefined
        ? this.sessions.entry(sessionId)
        : this.sessions.nextAvailable(now, (candidate) => this.hasReady(candidate, now));
    if (!entry) {
      return undefined;
    }
    if (entry.isHeld(now)) {
      throw new SessionCannotBeLockedError(this.path, entry.id);
    }
    const previousHolder = entry.holder;
    if (previousHolder) {
      this.expireSession(entry, now);
      previousHolder.sessionLockLost();
    }
    this.sessions.hold(entry, consumer, now + this.settings.lockDurationMs);
    return entry;
  }

  /** Queues a receiver for the next session that becomes free with messages. */
  waitForSession(waiter: SessionWaiter): void {
    this.sessions.addWaiter(waiter);
  }

  cancelSessionWait(waiter: SessionWaiter): boolean {
    return this.sessions.removeWaiter(waiter);
  }

  renewSessionLock(sessionId: string, now: number): number {
    const entry = this.heldSession(sessionId, now);
    entry.lockedUntil = now + this.settings.lockDurationMs;
    for (const message of entry.lockedMessages) {
      this.locks.renew(message, entry.lockedUntil);
    }
    return entry.lockedUntil;
  }

  getSessionState(sessionId: string, now: number): Buffer | undefined {
    return this.heldSession(sessionId, now).state;
  }

  setSessionState(sessionId: string, state: Buffer | undefined, now: number): void {
    const entry = this.heldSession(sessionId, now);
    entry.state = state;
    this.journal.sessionStateSet(this.path, sessionId, state);
  }

  /** Restores a session state read from the journal. */
  restoreSessionState(sessionId: string, state: Buffer): void {
    this.sessions.entry(sessionId).state = state;
  }

  /** Ids of sessions with messages or state, for `get-message-sessions`. */
  sessionIds(): string[] {
    return this.sessions.ids();
  }

  /** Runs the clock: lock and session-lock expiry, scheduled messages coming due, TTL expiry. */
  tick(now: number): void {
    for (const message of this.locks.takeExpired(now)) {
      this.returnAfterAttempt(message, now);
    }
    for (const entry of this.sessions.expiredHolds(now)) {
      const holder = entry.holder;
      this.expireSession(entry, now);
      holder?.sessionLockLost();
    }
    this.activateScheduled(now);
    this.expireMessages(now);
  }

  forEachMessage(visit: (message: BrokerMessage) => void): void {
    this.messages.forEach(visit);
  }

  forEachSessionState(visit: (sessionId: string, state: Buffer) => void): void {
    for (const entry of this.sessions.all()) {
      if (entry.state !== undefined) {
        visit(entry.id, entry.state);
      }
    }
  }

  private createMessage(incoming: IncomingMessage, sequenceNumber: number, now: number): BrokerMessage {
    const scheduledAt =
      incoming.scheduledEnqueueTime !== undefined && incoming.scheduledEnqueueTime > now
        ? incoming.scheduledEnqueueTime
        : undefined;
    const enqueuedAt = scheduledAt ?? now;
    const ttl = Math.min(incoming.timeToLiveMs ?? Infinity, this.settings.defaultMessageTimeToLiveMs);
    return {
      sequenceNumber,
      enqueuedAt,
      expiresAt: enqueuedAt + ttl,
      timeToLiveMs: Number.isFinite(ttl) ? ttl : undefined,
      scheduledAt,
      state: scheduledAt === undefined ? 'active' : 'scheduled',
      deliveryCount: 0,
      sessionId: incoming.sessionId,
      messageId: incoming.messageId,
      annotations: incoming.annotations,
      bare: incoming.bare,
      deadLetterSource: undefined,
      lock: undefined,
    };
  }

  private insert(message: BrokerMessage): void {
    if (message.sequenceNumber < this.lastInserted) {
      this.insertedInOrder = false;
    }
    this.lastInserted = Math.max(this.lastInserted, message.sequenceNumber);
    this.messages.set(message.sequenceNumber, message);
    if (message.sessionId !== undefined && this.settings.requiresSession) {
      this.sessions.entry(message.sessionId).messageCount++;
    }
    if (Number.isFinite(message.expiresAt)) {
      this.expiries.push(message);
    }
    if (message.state === 'scheduled') {
      this.scheduled.push(message);
    } else if (message.state === 'active') {
      this.makeReady(message);
    }
  }

  private remove(message: BrokerMessage): void {
    this.detach(message);
    this.journal.removed(this.path, message.sequenceNumber);
  }

  /** Drops a message from this entity's structures; heaps skip it lazily. */
  private detach(message: BrokerMessage): void {
    this.releaseLock(message);
    this.messages.delete(message.sequenceNumber);
    if (message.sessionId !== undefined && this.settings.requiresSession) {
      const entry = this.sessions.get(message.sessionId);
      if (entry) {
        entry.messageCount--;
        entry.lockedMessages.delete(message);
        this.sessions.forgetIfIdle(entry);
      }
    }
  }

  private makeReady(message: BrokerMessage): void {
    if (message.sessionId !== undefined && this.settings.requiresSession) {
      const entry = this.sessions.entry(message.sessionId);
      entry.ready.push(message);
      this.offerSessionToWaiter(entry, Date.now());
    } else {
      this.ready.push(message);
    }
    this.requestDispatch();
  }

  /** A message is receivable when still held, active and unlocked: heaps keep stale entries until popped. */
  private isReceivable(message: BrokerMessage): boolean {
    return this.messages.get(message.sequenceNumber) === message && message.state === 'active' && !message.lock;
  }

  private takeReady(consumer: Consumer, now: number): BrokerMessage | undefined {
    let heap = this.ready;
    if (this.settings.requiresSession) {
      const entry = consumer.sessionId !== undefined ? this.sessions.get(consumer.sessionId) : undefined;
      if (!entry || entry.holder !== consumer || !entry.isHeld(now)) {
        return undefined;
      }
      heap = entry.ready;
    }
    for (let message = heap.pop(); message; message = heap.pop()) {
      if (!this.isReceivable(message)) {
        continue;
      }
      if (message.expiresAt <= now) {
        this.expire(message, now);
        continue;
      }
      return message;
    }
    return undefined;
  }

  private hasReady(entry: SessionEntry, now: number): boolean {
    for (let message = entry.ready.peek(); message; message = entry.ready.peek()) {
      if (this.isReceivable(message) && message.expiresAt > now) {
        return true;
      }
      entry.ready.pop();
      if (this.isReceivable(message)) {
        this.expire(message, now);
      }
    }
    return false;
  }

  private handOver(message: BrokerMessage, consumer: Consumer, now: number): void {
    if (consumer.receiveMode === 'receiveAndDelete') {
      this.remove(message);
      consumer.deliver(message, undefined);
      return;
    }
    message.deliveryCount++;
    const entry = consumer.sessionId !== undefined ? this.sessions.get(consumer.sessionId) : undefined;
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
      if (!this.sessions.get(sessionId)?.isHeld(now)) {
        throw new SessionLockLostError(this.path, sessionId);
      }
    } else if (message.lock.until <= now) {
      this.releaseLock(message);
      this.returnAfterAttempt(message, now);
      throw new MessageLockLostError(this.path, token);
    }
    return message;
  }

  private releaseLock(message: BrokerMessage): void {
    this.locks.release(message);
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
      this.makeReady(message);
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

  private expireMessages(now: number): void {
    for (let message = this.expiries.peek(); message && message.expiresAt <= now; message = this.expiries.peek()) {
      this.expiries.pop();
      const held = this.messages.get(message.sequenceNumber) === message;
      if (held && message.state !== 'scheduled' && !message.lock) {
        this.expire(message, now);
      }
    }
  }

  private activateScheduled(now: number): void {
    for (let message = this.scheduled.peek(); message && (message.scheduledAt ?? 0) <= now;) {
      this.scheduled.pop();
      if (this.messages.get(message.sequenceNumber) === message && message.state === 'scheduled') {
        message.state = 'active';
        message.scheduledAt = undefined;
        if (this.settings.forwardTo !== undefined) {
          this.detach(message);
          this.hooks.forward(this, message, now);
          this.journal.removed(this.path, message.sequenceNumber);
        } else {
          this.journal.updated(this.path, message, false);
          this.makeReady(message);
        }
      }
      message = this.scheduled.peek();
    }
  }

  private requireSessions(): void {
    if (!this.settings.requiresSession) {
      throw new InvalidOperationError(
        `'${this.path}' is not session-enabled: receive from it without a session (RequiresSession is false).`,
        this.path,
      );
    }
  }

  private heldSession(sessionId: string, now: number): SessionEntry {
    const entry = this.sessions.get(sessionId);
    if (!entry?.isHeld(now)) {
      throw new SessionLockLostError(this.path, sessionId);
    }
    return entry;
  }

  /** Ends a session lock whose holder is gone or timed out: its unsettled messages count an attempt. */
  private expireSession(entry: SessionEntry, now: number): void {
    const locked = [...entry.lockedMessages];
    entry.lockedMessages.clear();
    this.sessions.unhold(entry);
    for (const message of locked) {
      this.releaseLock(message);
      this.returnAfterAttempt(message, now);
    }
    this.offerSessionToWaiter(entry, now);
  }

  private releaseSession(entry: SessionEntry, now: number): void {
    this.expireSession(entry, now);
  }

  /** Gives a session that is free and has messages to the longest-waiting `acceptNextSession` receiver. */
  private offerSessionToWaiter(entry: SessionEntry, now: number): void {
    if (!this.sessions.hasWaiters || entry.isHeld(now) || !this.hasReady(entry, now)) {
      return;
    }
    const waiter = this.sessions.takeWaiter();
    if (waiter) {
      this.sessions.hold(entry, waiter.consumer, now + this.settings.lockDurationMs);
      waiter.grant(entry);
    }
  }
}
