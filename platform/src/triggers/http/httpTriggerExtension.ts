import type { Extension, HostContext } from '../../host/extension';
import type { FunctionDefinition } from '../../host/functionIndex';
import type { Logger } from '../../host/logger';
import { loadOrCreateFunctionKeys } from './auth/functionKeys';
import type { CorsPolicy } from './cors';
import { HttpRequestHandler } from './httpRequestHandler';
import { buildRouteTable, type HttpRoute, type RouteError } from './routing/routeTable';
import { StreamingForwarder } from './streaming/streamingForwarder';

/**
 * The HTTP trigger: serves every `httpTrigger` function under the route prefix (`api` by default) on the host's
 * listener, with route templates, methods, function keys, CORS, the body size limit and HTTP streaming.
 */
export class HttpTriggerExtension implements Extension {
  readonly name = 'Http';
  readonly bindingTypes = ['httpTrigger', 'http'];

  #routes = new Map<string, HttpRoute>();
  #errors = new Map<string, RouteError>();
  #handler: HttpRequestHandler | undefined;
  #streaming: StreamingForwarder | undefined;
  #baseUrl = '';
  #routePrefix = '';

  initialize(context: HostContext): Promise<void> {
    const logger = context.logger.forCategory('Host.Triggers.Http');
    const httpFunctions = context.functions.filter((fn) => fn.trigger.type.toLowerCase() === 'httptrigger');
    const { table, errors } = buildRouteTable(httpFunctions);
    this.#routes = new Map(table.routes.map((route) => [route.functionName, route]));
    this.#errors = new Map(errors.map((error) => [error.functionName, error]));
    reportRouteErrors(errors, logger);
    this.#baseUrl = context.baseUrl;
    this.#routePrefix = context.hostJson.http.routePrefix;

    const keys = loadOrCreateFunctionKeys(context.appDir);
    logger.info(keys.created ? 'Function keys created' : 'Function keys loaded', { file: keys.file });
    const httpUri = context.workerCapabilities.HttpUri;
    this.#streaming = httpUri ? new StreamingForwarder(httpUri) : undefined;
    this.#handler = new HttpRequestHandler({
      executor: context.executor,
      table,
      keys: keys.keys,
      cors: corsPolicy(context, logger),
      maxRequestBodySize: context.hostJson.http.maxRequestBodySize,
      prefixLength: this.#routePrefix === '' ? 0 : this.#routePrefix.length + 1,
      streaming: this.#streaming,
      logger,
    });
    context.http.addPrefix(`/${this.#routePrefix}`, this.#handler.handle);
    return Promise.resolve();
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.#handler?.stop();
    return Promise.resolve();
  }

  dispose(): Promise<void> {
    this.#streaming?.close();
    return Promise.resolve();
  }

  /** `[GET,POST] http://localhost:7071/api/hello/{name?}`, or why the function is in error. */
  describeFunction(fn: FunctionDefinition): string | undefined {
    const route = this.#routes.get(fn.name);
    if (!route) {
      const error = this.#errors.get(fn.name);
      return error ? `in error: ${error.error.message}` : undefined;
    }
    const methods = route.methods ? [...route.methods].join(',') : 'ALL';
    const prefix = this.#routePrefix === '' ? '' : `/${this.#routePrefix}`;
    return `[${methods}] ${this.#baseUrl}${prefix}/${route.template.text}`;
  }
}

function reportRouteErrors(errors: readonly RouteError[], logger: Logger): void {
  for (const { functionName, error } of errors) {
    logger.error('Function is in error', { function: functionName, route: error.template, error: error.message });
  }
}

function corsPolicy(context: HostContext, logger: Logger): CorsPolicy {
  const { cors: origins, corsCredentials: credentials } = context.localSettings;
  if (credentials && origins.includes('*')) {
    // ASP.NET Core refuses a wildcard origin together with credentials; this host echoes the caller's origin.
    logger.warn('CORS allows any origin with credentials; echoing each request origin', { origins: '*' });
  }
  return { origins, credentials };
}
