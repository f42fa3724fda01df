/** Where a message is in its life: receivable, set aside by `deferMessage`, or waiting for its enqueue time. */
export type MessageState = 'active' | 'deferred' | 'scheduled';

/** A sender's message as the broker accepted it: the fields it routes on, and the bytes it delivers. */
export interface IncomingMessage {
  /** `message-id` as text: the duplicate detection key (a broker-assigned GUID when the sender set none). */
  messageId: string;
  /** `group-id`: the session the message belongs to. */
  sessionId: string | undefined;
  /** The header's `ttl`, when the sender set one. */
  timeToLiveMs: number | undefined;
  /** `x-opt-scheduled-enqueue-time`: not receivable before this time. */
  scheduledEnqueueTime: number | undefined;
  /** The sender's message annotations, without the ones the broker owns. */
  annotations: Record<string, unknown>;
  /** System properties filters read (`messageid`, `label`, …), by lower-case name. */
  systemProperties: Record<string, string>;
  applicationProperties: Record<string, unknown>;
  /** Encoded properties, application-properties, body and footer sections, as delivered. */
  bare: Buffer;
  /** Encoded size, checked against the link's maximum message size. */
  size: number;
}

/** A lock on a message: by lock token (peek-lock delivery or deferred receive) until a time. */
export interface MessageLock {
  token: string;
  until: number;
  /** The session whose lock covers this message; its lock, not `until`, decides expiry. */
  sessionId: string | undefined;
}

/** A message held by an entity. */
export interface BrokerMessage {
  readonly sequenceNumber: number;
  enqueuedAt: number;
  /** Epoch ms when the message expires; Infinity when never. */
  expiresAt: number;
  /** The effective TTL the header carries on delivery; undefined when unbounded. */
  timeToLiveMs: number | undefined;
  scheduledAt: number | undefined;
  state: MessageState;
  /** Times the message was locked (the service's count); the AMQP header shows the attempts before this one. */
  deliveryCount: number;
  readonly sessionId: string | undefined;
  readonly messageId: string;
  annotations: Record<string, unknown>;
  bare: Buffer;
  /** Entity the message was dead-lettered from, on dead-letter sub-queue copies. */
  deadLetterSource: string | undefined;
  lock: MessageLock | undefined;
}

/** Message annotations the broker sets on delivery; a sender's values for them are dropped. */
export const brokerAnnotations = new Set([
  'x-opt-sequence-number',
  'x-opt-enqueued-time',
  'x-opt-locked-until',
  'x-opt-message-state',
  'x-opt-deadletter-source',
  'x-opt-lock-token',
  'x-opt-enqueue-sequence-number',
]);

/**
 * A sent message as an entity stores it under `sequenceNumber`: scheduled while its enqueue time is ahead, with
 * a time to live capped by the entity's default.
 */
export function toBrokerMessage(
  incoming: IncomingMessage,
  sequenceNumber: number,
  now: number,
  defaultTimeToLiveMs: number,
): BrokerMessage {
  const scheduledAt =
    incoming.scheduledEnqueueTime !== undefined && incoming.scheduledEnqueueTime > now
      ? incoming.scheduledEnqueueTime
      : undefined;
  const enqueuedAt = scheduledAt ?? now;
  const ttl = Math.min(incoming.timeToLiveMs ?? Infinity, defaultTimeToLiveMs);
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
