import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Executor, InvocationOutcome } from '../../host/executor';
import type { Logger } from '../../host/logger';
import type { RpcTypedData } from '../../worker/rpc';
import { isAuthorized, presentedKey, type FunctionKeys } from './auth/functionKeys';
import { fromRpcHttpResponse } from './converters/fromRpcHttpResponse';
import { headerMap, queryMap, toRpcHttpRequest } from './converters/toRpcHttpRequest';
import { toHttpBindingData } from './bindingData';
import { applyCors, type CorsPolicy } from './cors';
import { RequestBodyTooLargeError } from './errors';
import { invocationReason } from './invocationReason';
import { checkDeclaredLength, readRequestBody } from './requestBody';
import { writeEmptyResponse, writeHttpResponse } from './responseWriter';
import { splitRequestPath, type RouteValues } from './routing/routeMatcher';
import type { HttpRoute, RouteMatch, RouteTable } from './routing/routeTable';
import { relayStreamingInvocation } from './streaming/streamingInvocation';
import type { StreamingForwarder } from './streaming/streamingForwarder';

/** Everything the request pipeline needs, fixed at start-up. */
export interface HttpRequestHandlerOptions {
  readonly executor: Executor;
  readonly table: RouteTable;
  readonly keys: FunctionKeys;
  readonly cors: CorsPolicy;
  readonly maxRequestBodySize: number;
  /** Characters of the path taken by the route prefix, e.g. 4 for `/api`; 0 without a prefix. */
  readonly prefixLength: number;
  /** Present when the app enabled HTTP streaming. */
  readonly streaming: StreamingForwarder | undefined;
  readonly logger: Logger;
}

const notFound: RouteMatch = { kind: 'notFound' };

/**
 * The HTTP trigger's request pipeline: CORS, route match (404 / 405), keys (401), body limit (413), then the
 * invocation and its response; a failed function is a 500 and the host carries on.
 */
export class HttpRequestHandler {
  readonly #options: HttpRequestHandlerOptions;
  #stopping = false;

  constructor(options: HttpRequestHandlerOptions) {
    this.#options = options;
  }

  /** New requests get 503 from now on; requests in flight finish. */
  stop(): void {
    this.#stopping = true;
  }

  /** Serves one request under the route prefix; the host's listener calls it. */
  readonly handle = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const logger = this.#options.logger;
    const debug = logger.isEnabled('debug');
    const started = debug ? Date.now() : 0;
    const match = this.#admit(request, response, url);
    if (match) {
      await this.#run(match.route, match.values, request, response, url);
    }
    if (debug) {
      logger.debug('HTTP request', {
        method: request.method,
        path: url.pathname,
        function: match?.route.functionName,
        status: response.statusCode,
        durationMs: Date.now() - started,
      });
    }
  };

  /** Answers everything that never reaches a function; returns the route when the request may run. */
  #admit(request: IncomingMessage, response: ServerResponse, url: URL) {
    const options = this.#options;
    if (this.#stopping) {
      writeEmptyResponse(response, 503);
      return undefined;
    }
    if (applyCors(options.cors, request, response)) {
      return undefined;
    }
    const path = url.pathname.slice(options.prefixLength);
    // The listener matched the prefix as text; '/apix' is not under '/api'.
    const underPrefix = path === '' || path.startsWith('/');
    const match = underPrefix ? options.table.match(splitRequestPath(path), request.method ?? '') : notFound;
    if (match.kind === 'notFound') {
      writeEmptyResponse(response, 404);
      return undefined;
    }
    if (match.kind === 'methodNotAllowed') {
      writeEmptyResponse(response, 405, { allow: match.allow.join(', ') });
      return undefined;
    }
    const key = presentedKey(request.headers['x-functions-key'], url.searchParams);
    if (!isAuthorized(options.keys, match.route.authLevel, match.route.functionName, key)) {
      writeEmptyResponse(response, 401);
      return undefined;
    }
    try {
      checkDeclaredLength(request, options.maxRequestBodySize);
    } catch {
      writeEmptyResponse(response, 413, {}, true);
      return undefined;
    }
    return match;
  }

  async #run(route: HttpRoute, values: RouteValues, request: IncomingMessage, response: ServerResponse, url: URL) {
    const { executor, streaming, maxRequestBodySize: limit } = this.#options;
    const method = request.method ?? 'GET';
    const headers = headerMap(request.rawHeaders);
    const query = queryMap(url.searchParams);
    if (streaming) {
      const bindingData = route.usesBindingData
        ? toHttpBindingData({ values, query, headers, body: undefined })
        : values;
      const metadata = { ...routeMetadata(values), ...streamingMetadata(headers, query) };
      const call = { executor, forwarder: streaming, route, request, response, limit, metadata, bindingData };
      await relayStreamingInvocation(call);
      return;
    }

    let body: Buffer;
    try {
      body = await readRequestBody(request, limit);
    } catch (error) {
      writeEmptyResponse(response, error instanceof RequestBodyTooLargeError ? 413 : 400, {}, true);
      return;
    }
    const outcome = await executor.invoke({
      functionName: route.functionName,
      trigger: toRpcHttpRequest({ method, url: url.href, headers, query, params: values, body }),
      triggerMetadata: routeMetadata(values),
      bindingData: route.usesBindingData ? toHttpBindingData({ values, query, headers, body }) : values,
      reason: invocationReason,
    });
    this.#respond(route, outcome, method, response);
  }

  #respond(route: HttpRoute, outcome: InvocationOutcome, method: string, response: ServerResponse): void {
    if (!outcome.succeeded) {
      writeEmptyResponse(response, 500);
      return;
    }
    try {
      writeHttpResponse(response, fromRpcHttpResponse(outcome.returnValue), method);
    } catch (error) {
      this.#options.logger.error('Function returned an invalid HTTP response', {
        function: route.functionName,
        invocationId: outcome.invocationId,
        error: (error as Error).message,
      });
      writeEmptyResponse(response, 500);
    }
  }
}

/** Route values go to trigger metadata as strings, as the host's binding data does. */
function routeMetadata(values: RouteValues): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {};
  for (const name in values) {
    metadata[name] = { string: values[name] };
  }
  return metadata;
}

/** In streaming mode the library reads headers from `Headers` and route values from the other string entries. */
function streamingMetadata(
  headers: Record<string, string>,
  query: Record<string, string>,
): Record<string, RpcTypedData> {
  return { Headers: { json: JSON.stringify(headers) }, Query: { json: JSON.stringify(query) } };
}
