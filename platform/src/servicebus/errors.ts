import { PlatformError } from '../errors';

/**
 * A failure the broker reports to a client. Each carries the AMQP error condition the SDK maps to its
 * `ServiceBusError.code` (see `ConditionErrorNameMapper` in `@azure/core-amqp`) and the status code used on
 * `$management` and `$cbs` responses. Messages follow the service's wording where the SDK or users match on it.
 */
export abstract class BrokerError extends PlatformError {
  abstract readonly condition: string;
  abstract readonly statusCode: number;
}

/** An address names no configured queue, topic or subscription: `MessagingEntityNotFound` in the SDK. */
export class EntityNotFoundError extends BrokerError {
  readonly code = 'EntityNotFound';
  readonly condition = 'amqp:not-found';
  readonly statusCode = 404;

  constructor(readonly address: string) {
    // core-amqp recognises this sentence (`/The messaging entity .* could not be found/`).
    super(`The messaging entity '${address}' could not be found. Declare it in the broker's Config.json.`);
  }
}

/** A link or put-token without a valid SAS token: `UnauthorizedAccess` in the SDK. */
export class UnauthorizedError extends BrokerError {
  readonly code = 'Unauthorized';
  readonly condition = 'amqp:unauthorized-access';
  readonly statusCode = 401;

  constructor(
    reason: string,
    readonly audience: string,
  ) {
    super(`Unauthorized access to '${audience}': ${reason}`);
  }
}

/** Settling or renewing with a lock token the entity no longer holds: `MessageLockLost` in the SDK. */
export class MessageLockLostError extends BrokerError {
  readonly code = 'MessageLockLost';
  readonly condition = 'com.microsoft:message-lock-lost';
  readonly statusCode = 410;

  constructor(
    readonly entityPath: string,
    readonly lockToken: string,
  ) {
    super(
      `The lock supplied is invalid. Either the lock expired, or the message has already been removed from ` +
        `'${entityPath}' (lock token ${lockToken}).`,
    );
  }
}

/** The session lock expired or the session is held by nobody: `SessionLockLost` in the SDK. */
export class SessionLockLostError extends BrokerError {
  readonly code = 'SessionLockLost';
  readonly condition = 'com.microsoft:session-lock-lost';
  readonly statusCode = 410;

  constructor(
    readonly entityPath: string,
    readonly sessionId: string,
  ) {
    super(`The session lock has expired on session '${sessionId}' of '${entityPath}'. Accept the session again.`);
  }
}

/** A session another receiver holds: `SessionCannotBeLocked` in the SDK. */
export class SessionCannotBeLockedError extends BrokerError {
  readonly code = 'SessionCannotBeLocked';
  readonly condition = 'com.microsoft:session-cannot-be-locked';
  readonly statusCode = 410;

  constructor(
    readonly entityPath: string,
    readonly sessionId: string,
  ) {
    super(`The requested session '${sessionId}' of '${entityPath}' cannot be accepted: another receiver holds it.`);
  }
}

/** `acceptNextSession` found no free session with messages before its timeout: `ServiceTimeout` in the SDK. */
export class NoSessionAvailableError extends BrokerError {
  readonly code = 'NoSessionAvailable';
  readonly condition = 'com.microsoft:timeout';
  readonly statusCode = 408;

  constructor(
    readonly entityPath: string,
    readonly timeoutMs: number,
  ) {
    super(`No unlocked session with messages became available on '${entityPath}' within ${timeoutMs} ms.`);
  }
}

/** A message above the link's limit: `MessageSizeExceeded` in the SDK. */
export class MessageSizeExceededError extends BrokerError {
  readonly code = 'MessageSizeExceeded';
  readonly condition = 'amqp:link:message-size-exceeded';
  readonly statusCode = 403;

  constructor(
    readonly entityPath: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(
      `The received message (size: ${size} bytes) exceeds the limit (${limit} bytes) currently allowed on the ` +
        `link to '${entityPath}'.`,
    );
  }
}

/** An operation the entity does not allow in its configuration: `InvalidOperationError` in the SDK. */
export class InvalidOperationError extends BrokerError {
  readonly code = 'InvalidOperation';
  readonly condition = 'amqp:not-allowed';
  readonly statusCode = 400;

  constructor(
    message: string,
    readonly entityPath: string,
  ) {
    super(message);
  }
}

/** Deferred or scheduled messages asked for by sequence number that do not exist: `MessageNotFound`. */
export class MessageNotFoundError extends BrokerError {
  readonly code = 'MessageNotFound';
  readonly condition = 'com.microsoft:message-not-found';
  readonly statusCode = 404;

  constructor(
    readonly entityPath: string,
    readonly sequenceNumbers: readonly number[],
  ) {
    super(
      `Failed to lock one or more specified messages in '${entityPath}': no deferred message has sequence ` +
        `number ${sequenceNumbers.join(', ')}.`,
    );
  }
}

/** A `$management` or `$cbs` request the broker cannot read: the body lacks a field or has the wrong type. */
export class BadRequestError extends BrokerError {
  readonly code = 'BadRequest';
  readonly condition = 'com.microsoft:argument-error';
  readonly statusCode = 400;
}

/** A `$management` operation the broker does not implement. */
export class OperationNotSupportedError extends BrokerError {
  readonly code = 'OperationNotSupported';
  readonly condition = 'amqp:not-implemented';
  readonly statusCode = 501;

  constructor(readonly operation: string) {
    super(`The $management operation '${operation}' is not supported by the local Service Bus broker.`);
  }
}

/** The condition and description an AMQP frame carries for a failure; anything not a BrokerError is ours. */
export function toAmqpError(error: unknown): { condition: string; description: string } {
  if (error instanceof BrokerError) {
    return { condition: error.condition, description: error.message };
  }
  const description = error instanceof Error ? error.message : String(error);
  return { condition: 'amqp:internal-error', description: `The local Service Bus broker failed: ${description}` };
}

/** A SQL filter expression that does not parse: bad syntax, or a system property Service Bus does not have. */
export class SqlFilterSyntaxError extends BrokerError {
  readonly code = 'SqlFilterSyntax';
  readonly condition = 'com.microsoft:argument-error';
  readonly statusCode = 400;

  constructor(
    problem: string,
    readonly expression: string,
    readonly position: number,
  ) {
    super(`Invalid SQL filter at character ${position + 1} of "${expression}": ${problem}`);
  }
}

/** The journal holds a record that cannot be read (not a torn end, which is cut off): start-up stops. */
export class JournalCorruptError extends PlatformError {
  readonly code = 'JournalCorrupt';

  constructor(
    readonly file: string,
    readonly offset: number,
    problem: string,
  ) {
    super(
      `The Service Bus journal ${file} is damaged at byte ${offset} (${problem}). Move the file away to start ` +
        `with empty entities; its messages up to that point can be recovered from it.`,
    );
  }
}

/** `add-rule` with a name the subscription already has: `MessagingEntityAlreadyExists` in the SDK. */
export class RuleAlreadyExistsError extends BrokerError {
  readonly code = 'RuleAlreadyExists';
  readonly condition = 'com.microsoft:entity-already-exists';
  readonly statusCode = 409;

  constructor(
    readonly subscriptionPath: string,
    readonly ruleName: string,
  ) {
    super(`The messaging entity '${subscriptionPath}/Rules/${ruleName}' already exists.`);
  }
}

/** `remove-rule` with a name the subscription does not have: `MessagingEntityNotFound` in the SDK. */
export class RuleNotFoundError extends BrokerError {
  readonly code = 'RuleNotFound';
  readonly condition = 'amqp:not-found';
  readonly statusCode = 404;

  constructor(
    readonly subscriptionPath: string,
    readonly ruleName: string,
  ) {
    super(`The messaging entity '${subscriptionPath}/Rules/${ruleName}' could not be found.`);
  }
}
