import { message as rheaMessage, type Typed } from 'rhea';
import type { Settlement } from '../entities/settlement';

/** The delivery outcomes a receiver can send (AMQP 1.0 part 3.4). */
export type OutcomeKind = 'accepted' | 'rejected' | 'released' | 'modified';

interface OutcomeCreators {
  accepted(): { described(): Typed };
  released(): { described(): Typed };
  rejected(fields: { error?: { condition: string; description: string } }): { described(): Typed };
  modified(fields: object): { described(): Typed };
}

const outcomes = rheaMessage as unknown as OutcomeCreators;

interface RemoteOutcome {
  undeliverable_here?: boolean;
  message_annotations?: Record<string, unknown>;
  error?: { condition?: string; description?: string; info?: Record<string, unknown> };
}

/** Condition of the SDK's dead-letter disposition (sb `core/messageReceiver.ts`). */
const deadLetterCondition = 'com.microsoft:dead-letter';

/**
 * The settlement a receiver's disposition asks for, as the SDK encodes them (service-bus.md section 7):
 * accepted = complete; modified = abandon, or defer with `undeliverable-here`; rejected with
 * `com.microsoft:dead-letter` = dead-letter with reason, description and properties in `info`.
 */
export function fromDeliveryOutcome(kind: OutcomeKind, state: unknown): Settlement {
  const outcome = (state ?? {}) as RemoteOutcome;
  switch (kind) {
    case 'accepted':
      return { kind: 'complete' };
    case 'released':
      return { kind: 'abandon' };
    case 'modified':
      return {
        kind: outcome.undeliverable_here ? 'defer' : 'abandon',
        propertiesToModify: outcome.message_annotations ?? undefined,
      };
    case 'rejected':
      return fromRejected(outcome.error);
  }
}

function fromRejected(error: RemoteOutcome['error']): Settlement {
  if (error?.condition !== deadLetterCondition) {
    return { kind: 'deadLetter', reason: error?.condition, description: error?.description };
  }
  const { DeadLetterReason, DeadLetterErrorDescription, ...properties } = error.info ?? {};
  return {
    kind: 'deadLetter',
    reason: typeof DeadLetterReason === 'string' ? DeadLetterReason : undefined,
    description: typeof DeadLetterErrorDescription === 'string' ? DeadLetterErrorDescription : undefined,
    propertiesToModify: properties,
  };
}

/**
 * The broker's settling outcome after it applied a disposition. It must carry no error: echoing the client's
 * `rejected {error}` makes `deadLetterMessage()` throw although the message moved (service-bus.md section 7).
 */
export function toSettledOutcome(kind: OutcomeKind): Typed {
  switch (kind) {
    case 'accepted':
      return outcomes.accepted().described();
    case 'released':
      return outcomes.released().described();
    case 'modified':
      return outcomes.modified({}).described();
    case 'rejected':
      return outcomes.rejected({}).described();
  }
}

/** A settling outcome that fails the client's disposition with an error (lock lost, session lock lost). */
export function toRejectedOutcome(error: { condition: string; description: string }): Typed {
  return outcomes.rejected({ error }).described();
}
