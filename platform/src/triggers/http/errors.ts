import { PlatformError } from '../../errors';

/** A route template the host cannot use: bad syntax, an unknown constraint, a reserved or conflicting route. */
export class RouteTemplateError extends PlatformError {
  readonly code = 'RouteTemplate';

  constructor(
    message: string,
    readonly template: string,
    readonly functionName?: string,
  ) {
    super(message);
  }
}

/** The request body is larger than the host accepts (`extensions.http.maxRequestBodySize`). */
export class RequestBodyTooLargeError extends PlatformError {
  readonly code = 'RequestBodyTooLarge';

  constructor(
    readonly limit: number,
    readonly received: number,
  ) {
    super(`The request body has at least ${received} bytes; the host accepts at most ${limit}.`);
  }
}

/** The function returned something the host cannot turn into an HTTP response. */
export class InvalidHttpResponseError extends PlatformError {
  readonly code = 'InvalidHttpResponse';

  constructor(
    message: string,
    readonly functionName?: string,
  ) {
    super(message);
  }
}
