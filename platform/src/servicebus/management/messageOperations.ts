import { types } from 'rhea';
import { fromGuidString } from '../amqp/lockToken';
import { fromAmqpMessage, toAmqpDelivery } from '../amqp/messageCodec';
import { decodeMessage } from '../amqp/rheaCodec';
import type { Settlement } from '../entities/settlement';
import { BadRequestError, MessageNotFoundError } from '../errors';
import type { OperationContext, OperationResult } from './operationContext';
import type { RequestBody } from './requestBody';

/** `com.microsoft:peek-message`: messages from a sequence number on, unlocked; 204 when there are none. */
export function peekMessages(context: OperationContext, body: RequestBody): OperationResult {
  const entity = context.namespace.resolveMessageEntity(context.address);
  const messages = entity.peek(
    body.number('from-sequence-number'),
    body.number('message-count'),
    body.optionalString('session-id'),
  );
  if (messages.length === 0) {
    // The SDK tests `statusCode !== 204` literally (sb `core/managementClient.ts`, peekBySequenceNumber).
    return { statusCode: 204 };
  }
  return { statusCode: 200, body: { messages: messages.map((message) => ({ message: toAmqpDelivery(message) })) } };
}

/** `com.microsoft:schedule-message`: stores messages to appear at their scheduled enqueue time. */
export function scheduleMessages(context: OperationContext, body: RequestBody): OperationResult {
  const target = context.namespace.resolveSendTarget(context.address);
  const incoming = body.list('messages').map((entry) => {
    const encoded = (entry as { message?: unknown } | null)?.message;
    if (!Buffer.isBuffer(encoded)) {
      throw new BadRequestError(`The 'schedule-message' request needs each entry of 'messages' to carry 'message'.`);
    }
    return fromAmqpMessage(decodeMessage(encoded));
  });
  const sequenceNumbers = context.namespace.send(target, incoming, context.now);
  return { statusCode: 200, body: { 'sequence-numbers': types.wrap_array(sequenceNumbers, 0x81, undefined) } };
}

/** `com.microsoft:cancel-scheduled-message`. */
export function cancelScheduledMessages(context: OperationContext, body: RequestBody): OperationResult {
  const target = context.namespace.resolveSendTarget(context.address);
  context.namespace.cancelScheduled(target, body.sequenceNumbers('sequence-numbers'));
  return { statusCode: 200 };
}

/** `com.microsoft:receive-by-sequence-number`: deferred messages, locked unless receive-and-delete. */
export function receiveDeferredMessages(context: OperationContext, body: RequestBody): OperationResult {
  const entity = context.namespace.resolveMessageEntity(context.address);
  const sequenceNumbers = body.sequenceNumbers('sequence-numbers');
  const sessionId = body.optionalString('session-id');
  if (sessionId !== undefined) {
    const foreign = sequenceNumbers.filter((n) => entity.find(n)?.sessionId !== sessionId);
    if (foreign.length > 0) {
      throw new MessageNotFoundError(entity.path, foreign);
    }
  }
  const mode = body.number('receiver-settle-mode') === 0 ? 'receiveAndDelete' : 'peekLock';
  const received = entity.receiveDeferred(sequenceNumbers, mode, context.now);
  return {
    statusCode: 200,
    body: {
      messages: received.map(({ message, lock }) => ({
        message: toAmqpDelivery(message, lock ? { lockedUntil: lock.until } : {}),
        // Management lock tokens are plain uuids, not reordered like delivery tags (service-bus.md section 11).
        ...(lock ? { 'lock-token': types.wrap_uuid(fromGuidString(lock.token)) } : {}),
      })),
    },
  };
}

/** `com.microsoft:update-disposition`: settles by lock token (deferred messages, or after the link closed). */
export function updateDisposition(context: OperationContext, body: RequestBody): OperationResult {
  const entity = context.namespace.resolveMessageEntity(context.address);
  const settlement = toSettlement(body);
  for (const token of body.lockTokens('lock-tokens')) {
    entity.settle(token, settlement, context.now);
  }
  return { statusCode: 200 };
}

/** `com.microsoft:renew-lock`: new expiry per lock token. */
export function renewLocks(context: OperationContext, body: RequestBody): OperationResult {
  const entity = context.namespace.resolveMessageEntity(context.address);
  const expirations = body.lockTokens('lock-tokens').map((token) => new Date(entity.renewLock(token, context.now)));
  return { statusCode: 200, body: { expirations } };
}

function toSettlement(body: RequestBody): Settlement {
  const status = body.string('disposition-status');
  const propertiesToModify = body.optionalMap('properties-to-modify');
  switch (status) {
    case 'completed':
      return { kind: 'complete' };
    case 'abandoned':
      return { kind: 'abandon', propertiesToModify };
    // "defered" is the spelling on the wire (sb `core/managementClient.ts`, updateDispositionStatus).
    case 'defered':
      return { kind: 'defer', propertiesToModify };
    case 'suspended':
      return {
        kind: 'deadLetter',
        reason: body.optionalString('deadletter-reason'),
        description: body.optionalString('deadletter-description'),
        propertiesToModify,
      };
    default:
      throw new BadRequestError(
        `The 'update-disposition' request needs 'disposition-status' completed, abandoned, defered or ` +
          `suspended, got '${status}'.`,
      );
  }
}
