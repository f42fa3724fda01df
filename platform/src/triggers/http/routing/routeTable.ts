import type { FunctionDefinition } from '../../../host/functionIndex';
import { RouteTemplateError } from '../errors';
import { matchRouteTemplate, type RouteValues } from './routeMatcher';
import { parseRouteTemplate, type RouteTemplate } from './routeTemplate';

/** Who may call a function: anyone, holders of a function (or master) key, or holders of the master key. */
export type AuthLevel = 'anonymous' | 'function' | 'admin';

/** One HTTP function's compiled route. */
export interface HttpRoute {
  readonly functionName: string;
  readonly template: RouteTemplate;
  /** Upper-case methods; undefined accepts every method. */
  readonly methods: ReadonlySet<string> | undefined;
  readonly authLevel: AuthLevel;
  /** Whether other bindings of the function may use `{token}` expressions fed by the request. */
  readonly usesBindingData: boolean;
}

/** What a request path and method found. */
export type RouteMatch =
  | { readonly kind: 'matched'; readonly route: HttpRoute; readonly values: RouteValues }
  | { readonly kind: 'methodNotAllowed'; readonly allow: readonly string[] }
  | { readonly kind: 'notFound' };

/** A function whose route the host refused, and why; the host logs it and serves its other functions. */
export interface RouteError {
  readonly functionName: string;
  readonly error: RouteTemplateError;
}

const notFound: RouteMatch = { kind: 'notFound' };

/** The compiled routes of every HTTP function, in the order the host tries them. Built once at start-up. */
export class RouteTable {
  constructor(readonly routes: readonly HttpRoute[]) {}

  /**
   * The first route whose template and method match, or what 405 needs when only the method was wrong. (The real
   * host's route constraint answers 404 there; this host answers 405 with Allow, as its issue asks.)
   */
  match(path: readonly string[], method: string): RouteMatch {
    let allow: Set<string> | undefined;
    for (const route of this.routes) {
      const values = matchRouteTemplate(route.template, path);
      if (!values) {
        continue;
      }
      if (!route.methods || route.methods.has(method)) {
        return { kind: 'matched', route, values };
      }
      allow ??= new Set();
      route.methods.forEach((m) => allow?.add(m));
    }
    return allow ? { kind: 'methodNotAllowed', allow: [...allow] } : notFound;
  }
}

/**
 * Compiles the routes of the HTTP functions. Like the real host, a function whose route is invalid, reserved or
 * conflicts with an earlier one is "in error": it is reported and not served, while the others run.
 */
export function buildRouteTable(functions: readonly FunctionDefinition[]): { table: RouteTable; errors: RouteError[] } {
  const routes: HttpRoute[] = [];
  const errors: RouteError[] = [];
  for (const fn of orderLikeTheHost(functions)) {
    try {
      const route = compileRoute(fn);
      const conflict = routes.find((other) => conflicts(route, other));
      if (conflict) {
        throw new RouteTemplateError(
          `The route specified conflicts with the route defined by function '${conflict.functionName}'.`,
          route.template.text,
          fn.name,
        );
      }
      routes.push(route);
    } catch (error) {
      if (!(error instanceof RouteTemplateError)) {
        throw error;
      }
      errors.push({ functionName: fn.name, error });
    }
  }
  return { table: new RouteTable(routes), errors };
}

/**
 * The host tries function routes in alphabetical order of function name, not by ASP.NET route precedence
 * (azure-functions-host#9876, azure-functions-nodejs-library#300); a literal route can lose to a parameter.
 */
function orderLikeTheHost(functions: readonly FunctionDefinition[]): FunctionDefinition[] {
  return [...functions].sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

function compileRoute(fn: FunctionDefinition): HttpRoute {
  const options = fn.trigger.options;
  const routeOption = typeof options.route === 'string' && options.route.trim() !== '' ? options.route : fn.name;
  const template = parseRouteTemplate(routeOption, fn.name);
  // The host reserves these spaces by a plain prefix test (ScriptHost.ValidateHttpFunction).
  const lower = template.text.toLowerCase();
  if (lower.startsWith('admin') || lower.startsWith('runtime')) {
    throw new RouteTemplateError(
      'The specified route conflicts with one or more built in routes.',
      routeOption,
      fn.name,
    );
  }
  return {
    functionName: fn.name,
    template,
    methods: readMethods(fn.name, options.methods),
    authLevel: readAuthLevel(fn.name, options.authLevel),
    usesBindingData: fn.inputs.length > 0 || fn.outputs.some((b) => b.type.toLowerCase() !== 'http'),
  };
}

function readMethods(functionName: string, value: unknown): ReadonlySet<string> | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value) || value.some((m) => typeof m !== 'string')) {
    throw new RouteTemplateError(
      `'methods' must be an array of HTTP method names, but is ${JSON.stringify(value)}.`,
      '',
      functionName,
    );
  }
  return value.length === 0 ? undefined : new Set(value.map((m: string) => m.toUpperCase()));
}

function readAuthLevel(functionName: string, value: unknown): AuthLevel {
  // The host's HttpTriggerAttribute defaults to Function; @azure/functions always sends a value.
  const level = typeof value === 'string' ? value.toLowerCase() : value === undefined ? 'function' : '';
  if (level === 'anonymous' || level === 'function' || level === 'admin') {
    return level;
  }
  throw new RouteTemplateError(
    `'authLevel' must be 'anonymous', 'function' or 'admin', but is ${JSON.stringify(value)}.`,
    '',
    functionName,
  );
}

/** Same template (ignoring case) and overlapping methods, as ScriptHost.HttpRoutesConflict decides. */
function conflicts(route: HttpRoute, other: HttpRoute): boolean {
  if (route.template.text.toLowerCase() !== other.template.text.toLowerCase()) {
    return false;
  }
  if (!route.methods || !other.methods) {
    return true;
  }
  return [...route.methods].some((method) => other.methods?.has(method));
}
