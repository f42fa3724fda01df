import { randomUUID } from 'node:crypto';
import { PlatformError } from '../errors';

/** A `{token}` in a binding path had no value in the invocation's binding data, so the output cannot be written. */
export class BindingExpressionError extends PlatformError {
  readonly code = 'BindingExpression';

  constructor(
    message: string,
    readonly functionName: string,
    readonly expression: string,
  ) {
    super(message);
  }
}

/** Where an expression is being resolved, for error messages. */
export interface ExpressionSource {
  readonly functionName: string;
  readonly bindingKey: string;
  readonly property: string;
}

/** Sources of the built-in values; tests pass fixed ones. */
export interface ExpressionRuntime {
  now(): Date;
  newGuid(): string;
}

const systemRuntime: ExpressionRuntime = { now: () => new Date(), newGuid: randomUUID };
const tokenPattern = /\{\{|\}\}|\{([^{}]*)\}/g;

/** True when the text has a `{token}` to resolve per invocation. */
export function hasBindingExpressions(template: string): boolean {
  return [...template.matchAll(tokenPattern)].some((match) => match[1] !== undefined);
}

/**
 * Resolves `{token}` expressions the way the host's binding templates do: `{rand-guid}`, `{DateTime}` (both with an
 * optional `:format`), and any binding-data name, case-insensitively, with dots reaching into JSON objects
 * (`{order.id}`). `{{` and `}}` stand for literal braces. A token without a value fails the invocation.
 * Source: https://learn.microsoft.com/azure/azure-functions/functions-bindings-expressions-patterns
 * NOTE: the documented `{sys.*}` expressions are not resolved here; they fail like any missing token.
 */
export function resolveBindingExpressions(
  template: string,
  bindingData: Readonly<Record<string, unknown>>,
  where: ExpressionSource,
  runtime: ExpressionRuntime = systemRuntime,
): string {
  return template.replace(tokenPattern, (match, token: string | undefined) => {
    if (token === undefined) {
      return match[0] ?? '';
    }
    const [name = '', format] = splitFormat(token.trim());
    const builtIn = resolveBuiltIn(name, format, runtime);
    if (builtIn !== undefined) {
      return builtIn;
    }
    const value = lookup(bindingData, name);
    if (value === undefined || value === null) {
      throw new BindingExpressionError(
        `Function '${where.functionName}': binding '${where.bindingKey}' ${where.property} '${template}' needs a ` +
          `value for '{${token}}', but the trigger supplied none. Available: ${Object.keys(bindingData).join(', ') || 'nothing'}.`,
        where.functionName,
        token,
      );
    }
    return formatValue(value);
  });
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value) ?? '';
}

function splitFormat(token: string): [string, string | undefined] {
  const colon = token.indexOf(':');
  return colon < 0 ? [token, undefined] : [token.slice(0, colon), token.slice(colon + 1)];
}

function resolveBuiltIn(name: string, format: string | undefined, runtime: ExpressionRuntime): string | undefined {
  switch (name.toLowerCase()) {
    case 'rand-guid': {
      const guid = runtime.newGuid();
      return format?.toUpperCase() === 'N' ? guid.replace(/-/g, '') : guid;
    }
    case 'datetime':
      // The documented default looks like 2018-02-16T17-59-55Z (colons would be awkward in blob names).
      return formatDateTime(runtime.now(), format ?? 'yyyy-MM-ddTHH-mm-ssK');
    default:
      return undefined;
  }
}

/** A subset of .NET custom date formats, in UTC: yyyy, yy, MM, dd, HH, mm, ss, fff, and K as `Z`. */
export function formatDateTime(date: Date, format: string): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const parts: Record<string, string> = {
    yyyy: String(date.getUTCFullYear()),
    yy: pad(date.getUTCFullYear() % 100),
    MM: pad(date.getUTCMonth() + 1),
    dd: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    mm: pad(date.getUTCMinutes()),
    ss: pad(date.getUTCSeconds()),
    fff: pad(date.getUTCMilliseconds(), 3),
    K: 'Z',
  };
  return format.replace(/yyyy|yy|MM|dd|HH|mm|ss|fff|K/g, (part) => parts[part] ?? part);
}

function lookup(data: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = data;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null) {
      return undefined;
    }
    const record = current as Record<string, unknown>;
    const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === segment.toLowerCase());
    current = key === undefined ? undefined : record[key];
  }
  return current;
}
