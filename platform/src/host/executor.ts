import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock/clock';
import { FunctionTimeoutError, PlatformBugError, ensureError } from '../errors';
import type { AppWorker } from '../worker/appWorker';
import type { InvocationResponse, RpcRetryContext, RpcTypedData } from '../worker/rpc';
import type { Extension, InvocationInfo } from './extension';
import type { FunctionDefinition } from './functionIndex';
import type { Logger } from './logger';
import { mayRetry, retryDelayMs } from './retryPolicy';

/** What a trigger listener asks the executor to run. */
export interface TriggerInvocation {
  readonly functionName: string;
  /** The trigger binding's value, e.g. `{ string: '<queue message>' }`. */
  readonly trigger: RpcTypedData;
  readonly triggerMetadata?: Record<string, RpcTypedData>;
  /** Values for `{token}` expressions in output bindings (blob name, queue message properties, …). */
  readonly bindingData?: Record<string, unknown>;
  /** Why the function runs, for the log: e.g. `New queue message detected on 'orders'`. */
  readonly reason: string;
  /** Called with each attempt's invocation id before the worker runs it (HTTP streaming forwards under that id). */
  readonly onInvocationStart?: (invocationId: string) => void;
}

/** How an invocation ended. `returnValue` is the `$return` value (the HTTP response for HTTP triggers). */
export interface InvocationOutcome {
  readonly invocationId: string;
  readonly succeeded: boolean;
  readonly error?: Error;
  readonly returnValue?: RpcTypedData | null;
  readonly durationMs: number;
}

export interface ExecutorOptions {
  worker: AppWorker;
  functions: readonly FunctionDefinition[];
  extensionFor: (bindingType: string) => Extension | undefined;
  logger: Logger;
  clock: Clock;
  /** host.json `functionTimeout`; undefined is unbounded. */
  functionTimeoutMs: number | undefined;
}

/**
 * Runs invocations for every trigger: binds inputs, calls the worker, enforces `functionTimeout`, applies the
 * function's `retry` policy, writes outputs and logs the outcome. Tracks in-flight work for graceful shutdown.
 */
export class Executor {
  readonly #options: ExecutorOptions;
  readonly #functions: Map<string, FunctionDefinition>;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #stopping = new AbortController();

  constructor(options: ExecutorOptions) {
    this.#options = options;
    this.#functions = new Map(options.functions.map((fn) => [fn.name, fn]));
  }

  /** Number of invocations running now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Runs one trigger event to completion, including retries from the function's `retry` policy. */
  invoke(request: TriggerInvocation): Promise<InvocationOutcome> {
    const run = this.#invokeWithRetries(request);
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
    return run;
  }

  /** Stops retry loops from scheduling more attempts. */
  stopRetries(): void {
    this.#stopping.abort(new Error('The host is shutting down.'));
  }

  /** Waits until in-flight invocations finish or the grace period ends; true when everything finished. */
  async drain(graceMs: number): Promise<boolean> {
    const deadline = Date.now() + graceMs;
    while (this.#inFlight.size > 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        return false;
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.#inFlight]),
        new Promise((resolve) => (timer = setTimeout(resolve, remaining))),
      ]);
      clearTimeout(timer);
    }
    return true;
  }

  async #invokeWithRetries(request: TriggerInvocation): Promise<InvocationOutcome> {
    const fn = this.#function(request.functionName);
    let retryContext: RpcRetryContext | undefined;
    for (let retries = 0; ; retries++) {
      const outcome = await this.#invokeOnce(fn, request, retryContext);
      if (outcome.succeeded || !fn.retry || !mayRetry(fn.retry, retries) || this.#stopping.signal.aborted) {
        return outcome;
      }
      const delayMs = retryDelayMs(fn.retry, retries + 1);
      this.#options.logger.warn('Function failed; retrying', {
        function: fn.name,
        invocationId: outcome.invocationId,
        retryCount: retries + 1,
        maxRetryCount: fn.retry.maxRetryCount,
        delayMs,
      });
      try {
        await this.#options.clock.sleep(delayMs, this.#stopping.signal);
      } catch {
        return outcome;
      }
      retryContext = {
        retryCount: retries + 1,
        maxRetryCount: fn.retry.maxRetryCount,
        exception: { message: outcome.error?.message, stackTrace: outcome.error?.stack, source: fn.name },
      };
    }
  }

  async #invokeOnce(
    fn: FunctionDefinition,
    request: TriggerInvocation,
    retryContext: RpcRetryContext | undefined,
  ): Promise<InvocationOutcome> {
    const invocationId = randomUUID();
    const started = Date.now();
    request.onInvocationStart?.(invocationId);
    const info: InvocationInfo = { functionName: fn.name, invocationId, bindingData: request.bindingData ?? {} };
    const logger = this.#options.logger;
    logger.info('Executing function', {
      function: fn.name,
      invocationId,
      trigger: fn.trigger.type,
      reason: request.reason,
    });

    let outcome: InvocationOutcome;
    try {
      const response = await this.#callWorker(fn, request, info, retryContext);
      if (response.result.status === 'failure') {
        throw new FunctionInvocationError(fn.name, invocationId, response.result.exception);
      }
      await this.#writeOutputs(fn, response, info);
      outcome = { invocationId, succeeded: true, returnValue: response.returnValue, durationMs: Date.now() - started };
    } catch (thrown) {
      outcome = { invocationId, succeeded: false, error: ensureError(thrown), durationMs: Date.now() - started };
    }

    const fields = { function: fn.name, invocationId, outcome: outcome.succeeded ? 'Succeeded' : 'Failed' };
    if (outcome.succeeded) {
      logger.info('Executed function', { ...fields, durationMs: outcome.durationMs });
    } else {
      logger.error('Function failed', { ...fields, durationMs: outcome.durationMs, error: outcome.error?.message });
    }
    return outcome;
  }

  async #callWorker(
    fn: FunctionDefinition,
    request: TriggerInvocation,
    info: InvocationInfo,
    retryContext: RpcRetryContext | undefined,
  ): Promise<InvocationResponse> {
    const inputData = [{ name: fn.trigger.key, data: request.trigger }];
    for (const binding of fn.inputs) {
      const value = await this.#extension(binding.type).bindInput?.(binding, info);
      inputData.push({ name: binding.key, data: value ?? {} });
    }
    const call = this.#options.worker.invoke({
      invocationId: info.invocationId,
      functionId: fn.name,
      inputData,
      triggerMetadata: request.triggerMetadata ?? {},
      retryContext,
    });
    return withTimeout(call, this.#options.functionTimeoutMs, fn.name, info.invocationId);
  }

  async #writeOutputs(fn: FunctionDefinition, response: InvocationResponse, info: InvocationInfo): Promise<void> {
    const values = new Map((response.outputData ?? []).map((output) => [output.name, output.data]));
    const returnBinding = fn.outputs.find((b) => b.key === '$return');
    if (returnBinding && returnBinding.type.toLowerCase() !== 'http' && response.returnValue) {
      values.set('$return', response.returnValue);
    }
    for (const binding of fn.outputs) {
      const value = values.get(binding.key);
      if (value && binding.type.toLowerCase() !== 'http' && !isEmpty(value)) {
        const extension = this.#extension(binding.type);
        if (!extension.bindOutput) {
          throw new PlatformBugError(
            `Extension '${extension.name}' declares type '${binding.type}' but writes no output.`,
          );
        }
        await extension.bindOutput(binding, value, info);
      }
    }
  }

  #function(name: string): FunctionDefinition {
    const fn = this.#functions.get(name);
    if (!fn) {
      throw new PlatformBugError(`A listener asked to invoke '${name}', which is not an indexed function.`);
    }
    return fn;
  }

  #extension(type: string): Extension {
    const extension = this.#options.extensionFor(type);
    if (!extension) {
      throw new PlatformBugError(`No extension handles binding type '${type}', yet the function index accepted it.`);
    }
    return extension;
  }
}

/** The function threw or rejected; carries the worker's message and stack. */
export class FunctionInvocationError extends Error {
  constructor(
    readonly functionName: string,
    readonly invocationId: string,
    exception: { message?: string; stackTrace?: string } | undefined,
  ) {
    super(exception?.message ?? `Function '${functionName}' failed without a message.`);
    this.name = 'FunctionInvocationError';
    if (exception?.stackTrace) {
      this.stack = exception.stackTrace;
    }
  }
}

function isEmpty(value: RpcTypedData): boolean {
  return Object.values(value).every((field) => field === undefined || field === null);
}

/**
 * Fails the invocation when `functionTimeout` passes. JavaScript cannot stop the running handler; the real host
 * restarts the worker process at this point, the local host reports the timeout and lets the handler run out.
 */
async function withTimeout<T>(work: Promise<T>, timeoutMs: number | undefined, fn: string, id: string): Promise<T> {
  if (timeoutMs === undefined) {
    return work;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FunctionTimeoutError(fn, id, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
