import { ConfigurationError } from '../errors';
import type { FunctionRegistration } from '../worker/appWorker';
import type { RpcBindingInfo, RpcFunctionMetadata, RpcRetryOptions } from '../worker/rpc';

/** One binding of a function, keyed as the worker keys it (`$return` for the return binding). */
export interface BindingDefinition {
  readonly key: string;
  /** Binding type as registered, e.g. `queueTrigger`, `blob`, `durableClient`. */
  readonly type: string;
  readonly direction: 'in' | 'out' | 'inout';
  /** Every option the app passed (queueName, path, connection, schedule, …). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** A function as the host indexes it: its trigger, other inputs, outputs and retry policy. */
export interface FunctionDefinition {
  readonly name: string;
  readonly trigger: BindingDefinition;
  readonly inputs: readonly BindingDefinition[];
  readonly outputs: readonly BindingDefinition[];
  readonly retry: RpcRetryOptions | undefined;
  readonly scriptFile: string | undefined;
  readonly metadata: RpcFunctionMetadata;
}

/**
 * Builds the function index from what the app registered and checks it as the host would at start-up:
 * at least one function, exactly one trigger each, and only binding types some extension handles.
 */
export function indexFunctions(
  registered: FunctionRegistration[],
  knownTypes: ReadonlySet<string>,
): FunctionDefinition[] {
  if (registered.length === 0) {
    throw new ConfigurationError(
      'No job functions found. The app registered no functions: check package.json "main" and that each ' +
        'entry point calls app.http / app.storageQueue / … from @azure/functions.',
    );
  }
  return registered.map((fn) => toDefinition(fn, knownTypes));
}

function toDefinition(fn: FunctionRegistration, knownTypes: ReadonlySet<string>): FunctionDefinition {
  const name = fn.metadata.name;
  const bindings = Object.entries(fn.metadata.bindings ?? {}).map(([key, info]) => toBinding(name, key, info));
  const triggers = bindings.filter((b) => isTriggerType(b.type));
  if (triggers.length !== 1) {
    throw new ConfigurationError(
      `Function '${name}' must have exactly one trigger binding, but has ${triggers.length}` +
        (triggers.length ? ` (${triggers.map((t) => t.type).join(', ')}).` : '.'),
      { functionName: name, file: fn.scriptFile },
    );
  }
  for (const binding of bindings) {
    if (!knownTypes.has(binding.type.toLowerCase())) {
      throw new ConfigurationError(
        `Function '${name}': binding '${binding.key}' has type '${binding.type}', which this host does not ` +
          `support. Supported types: ${[...knownTypes].sort().join(', ')}.`,
        { functionName: name, file: fn.scriptFile },
      );
    }
  }
  return {
    name,
    trigger: triggers[0] as BindingDefinition,
    inputs: bindings.filter((b) => !isTriggerType(b.type) && b.direction !== 'out'),
    outputs: bindings.filter((b) => b.direction === 'out' || b.direction === 'inout'),
    retry: fn.metadata.retryOptions,
    scriptFile: fn.scriptFile,
    metadata: fn.metadata,
  };
}

function toBinding(functionName: string, key: string, info: RpcBindingInfo): BindingDefinition {
  if (typeof info.type !== 'string' || info.type === '') {
    throw new ConfigurationError(`Function '${functionName}': binding '${key}' has no type.`, { functionName });
  }
  const direction = info.direction ?? 'in';
  if (direction !== 'in' && direction !== 'out' && direction !== 'inout') {
    throw new ConfigurationError(
      `Function '${functionName}': binding '${key}' has direction '${String(direction)}'; expected in, out or inout.`,
      { functionName },
    );
  }
  return { key, type: info.type, direction, options: info };
}

/** Trigger bindings are recognised by name, as the library does. */
export function isTriggerType(type: string): boolean {
  return /trigger$/i.test(type);
}
