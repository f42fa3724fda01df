import type { ServiceBusMessage } from '@azure/service-bus';
import type { OrderMessage } from '../orderSchema';

/** What a reply reports about: a saga step, a compensation, or the order as a whole. */
export type ReplyStep = string;

/** How the reported step ended. */
export type ReplyOutcome = 'completed' | 'refused' | 'failed' | 'compensated';

/** A progress reply as the orchestrator hands it to the `sendReply` activity. */
export interface Reply {
  /** Service Bus queue or topic the order named in `replyTo`. */
  to: string;
  sessionId?: string;
  correlationId: string;
  /** Deterministic: `<orderId>:<step>:<outcome>`, so a re-sent reply is recognisable (and dropped by duplicate detection). */
  messageId: string;
  /** `<step>.<outcome>`, e.g. `chargePayment.completed` or `order.compensated`. */
  subject: string;
  body: ReplyBody;
}

/** The JSON body of a reply. */
export interface ReplyBody {
  orderId: string;
  correlationId: string;
  step: ReplyStep;
  outcome: ReplyOutcome;
  /** Orchestration time of the event (ISO 8601), the same on every replay. */
  at: string;
  progress: number;
  detail?: Record<string, unknown>;
}

/** Builds the reply for a step's outcome, or undefined when the order asked for no replies. */
export function buildReply(
  order: Pick<OrderMessage, 'orderId' | 'correlationId' | 'replyTo' | 'replyToSessionId'>,
  event: { step: ReplyStep; outcome: ReplyOutcome; at: Date; progress: number; detail?: Record<string, unknown> },
): Reply | undefined {
  if (order.replyTo === undefined) {
    return undefined;
  }
  return {
    to: order.replyTo,
    ...(order.replyToSessionId === undefined ? {} : { sessionId: order.replyToSessionId }),
    correlationId: order.correlationId,
    messageId: replyMessageId(order.orderId, event.step, event.outcome),
    subject: `${event.step}.${event.outcome}`,
    body: {
      orderId: order.orderId,
      correlationId: order.correlationId,
      step: event.step,
      outcome: event.outcome,
      at: event.at.toISOString(),
      progress: event.progress,
      ...(event.detail === undefined ? {} : { detail: event.detail }),
    },
  };
}

/** The reply's message id: order id, step and outcome, at most 128 characters as Service Bus allows. */
export function replyMessageId(orderId: string, step: ReplyStep, outcome: ReplyOutcome): string {
  return `${orderId}:${step}:${outcome}`.slice(0, 128);
}

/** Translates a reply into the Service Bus SDK's message shape. */
export function toServiceBusMessage(reply: Reply): ServiceBusMessage {
  return {
    body: reply.body,
    contentType: 'application/json',
    messageId: reply.messageId,
    correlationId: reply.correlationId,
    subject: reply.subject,
    ...(reply.sessionId === undefined ? {} : { sessionId: reply.sessionId }),
    applicationProperties: { orderId: reply.body.orderId, step: reply.body.step, outcome: reply.body.outcome },
  };
}
