import { OperationNotSupportedError } from '../errors';
import {
  cancelScheduledMessages,
  peekMessages,
  receiveDeferredMessages,
  renewLocks,
  scheduleMessages,
  updateDisposition,
} from './messageOperations';
import type { OperationContext, OperationResult } from './operationContext';
import { RequestBody } from './requestBody';
import { addRule, enumerateRules, removeRule } from './ruleOperations';
import { getSessionState, listSessions, renewSessionLock, setSessionState } from './sessionOperations';

type Operation = (context: OperationContext, body: RequestBody) => OperationResult;

const operations = new Map<string, Operation>(
  Object.entries({
    'com.microsoft:peek-message': peekMessages,
    'com.microsoft:schedule-message': scheduleMessages,
    'com.microsoft:cancel-scheduled-message': cancelScheduledMessages,
    'com.microsoft:receive-by-sequence-number': receiveDeferredMessages,
    'com.microsoft:update-disposition': updateDisposition,
    'com.microsoft:renew-lock': renewLocks,
    'com.microsoft:renew-session-lock': renewSessionLock,
    'com.microsoft:get-session-state': getSessionState,
    'com.microsoft:set-session-state': setSessionState,
    'com.microsoft:get-message-sessions': listSessions,
    'com.microsoft:add-rule': addRule,
    'com.microsoft:remove-rule': removeRule,
    'com.microsoft:enumerate-rules': enumerateRules,
  }),
);

/** Runs one `$management` operation; throws a BrokerError the caller turns into an error response. */
export function runOperation(
  operation: string,
  context: OperationContext,
  body: Record<string, unknown>,
): OperationResult {
  const handler = operations.get(operation);
  if (!handler) {
    throw new OperationNotSupportedError(operation);
  }
  return handler(context, new RequestBody(operation, body));
}
