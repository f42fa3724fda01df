/** What a receiver decided about a locked message, from a link disposition or `$management` update-disposition. */
export type Settlement =
  | { kind: 'complete' }
  | { kind: 'abandon'; propertiesToModify?: Record<string, unknown> }
  | { kind: 'defer'; propertiesToModify?: Record<string, unknown> }
  | {
      kind: 'deadLetter';
      reason?: string;
      description?: string;
      propertiesToModify?: Record<string, unknown>;
    };

/** Dead-letter reasons the broker sets itself (learn.microsoft.com, service-bus-dead-letter-queues). */
export const deadLetterReasons = {
  maxDeliveryCountExceeded: 'MaxDeliveryCountExceeded',
  ttlExpired: 'TTLExpiredException',
  sessionIdIsNull: 'Session id is null.',
  maxTransferHopCountExceeded: 'MaxTransferHopCountExceeded',
} as const;
