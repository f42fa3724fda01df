import type { OperationContext, OperationResult } from './operationContext';
import type { RequestBody } from './requestBody';

/** `com.microsoft:renew-session-lock`: the session's new lock expiry. */
export function renewSessionLock(context: OperationContext, body: RequestBody): OperationResult {
  const sessions = context.namespace.resolveMessageEntity(context.address).sessionLocks();
  const expiration = sessions.renew(body.string('session-id'), context.now);
  return { statusCode: 200, body: { expiration: new Date(expiration) } };
}

/** `com.microsoft:get-session-state`. */
export function getSessionState(context: OperationContext, body: RequestBody): OperationResult {
  const sessions = context.namespace.resolveMessageEntity(context.address).sessionLocks();
  const state = sessions.getState(body.string('session-id'), context.now);
  // No state leaves the key out, which the SDK returns as undefined.
  return { statusCode: 200, body: state === undefined ? {} : { 'session-state': state } };
}

/** `com.microsoft:set-session-state`; a null state clears it. */
export function setSessionState(context: OperationContext, body: RequestBody): OperationResult {
  const sessions = context.namespace.resolveMessageEntity(context.address).sessionLocks();
  sessions.setState(body.string('session-id'), body.optionalBinary('session-state'), context.now);
  return { statusCode: 200 };
}

/** `com.microsoft:get-message-sessions`: session ids with messages or state, paged by skip and top. */
export function listSessions(context: OperationContext, body: RequestBody): OperationResult {
  const sessions = context.namespace.resolveMessageEntity(context.address).sessionLocks();
  const skip = body.has('skip') ? body.number('skip') : 0;
  const top = body.has('top') ? body.number('top') : Infinity;
  const ids = sessions.ids().slice(skip, skip + top);
  if (ids.length === 0) {
    return { statusCode: 204 };
  }
  // The SDK reads the key `sessions-ids` (sb `core/managementClient.ts`, listMessageSessions).
  return { statusCode: 200, body: { skip: skip + ids.length, 'sessions-ids': ids } };
}
