import { PlatformError } from '../../errors';

/** A client request the HTTP API answers with 400: bad instance id, unknown function, bad JSON. */
export class DurableArgumentError extends PlatformError {
  readonly code = 'DurableArgument';
}

/** No instance (or entity) with this id exists in the task hub (HTTP 404). */
export class InstanceNotFoundError extends PlatformError {
  readonly code = 'InstanceNotFound';

  constructor(readonly instanceId: string) {
    super(`No instance with id '${instanceId}' was found in the task hub.`);
  }
}

/** The instance is in a state that does not accept the operation (HTTP 410, or 409 for a duplicate start). */
export class InstanceStateError extends PlatformError {
  readonly code = 'InstanceState';

  constructor(
    readonly instanceId: string,
    readonly status: string,
    operation: string,
  ) {
    super(`Cannot ${operation} instance '${instanceId}': it is ${status}.`);
  }
}
