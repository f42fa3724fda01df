import { CoreApiError } from '../errors';
import type {
  CoreLogCategory,
  CoreLogLevel,
  FunctionCallback,
  HookCallback,
  HookName,
  ProgrammingModel,
  RpcFunctionMetadata,
} from './coreTypes';

/** A function as the app registered it, with the entry point that was loading at the time. */
export interface RegisteredFunction {
  readonly metadata: RpcFunctionMetadata;
  readonly callback: FunctionCallback;
  readonly scriptFile: string | undefined;
}

/** Receives log lines the library and the app write through `coreApi.log`. */
export type CoreLogSink = (level: CoreLogLevel, category: CoreLogCategory, message: string) => void;

const hookNames: readonly HookName[] = ['preInvocation', 'postInvocation', 'appStart', 'appTerminate', 'log'];

/** Mirror of the worker's Disposable: runs its callback once. */
export class Disposable {
  #onDispose: (() => unknown) | undefined;

  static from(...disposables: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => disposables.forEach((d) => d.dispose()));
  }

  constructor(onDispose: () => unknown) {
    this.#onDispose = onDispose;
  }

  dispose(): unknown {
    const onDispose = this.#onDispose;
    this.#onDispose = undefined;
    return onDispose?.();
  }
}

/**
 * The object the app sees as `@azure/functions-core`: it collects registrations and hooks while the app loads,
 * then refuses new registrations once the host has indexed the functions, as the real worker does.
 */
export class CoreApi {
  readonly version = '3.12.0-local';
  readonly Disposable = Disposable;
  hostVersion = '4.1040.0-local';

  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<HookName, HookCallback[]>(hookNames.map((name) => [name, []]));
  currentEntryPoint: string | undefined;
  logSink: CoreLogSink = () => undefined;

  #programmingModel: ProgrammingModel | undefined;
  #indexingLocked = false;

  setProgrammingModel = (model: ProgrammingModel): void => {
    this.#programmingModel = model;
  };

  getProgrammingModel = (): ProgrammingModel | undefined => this.#programmingModel;

  registerFunction = (metadata: RpcFunctionMetadata, callback: FunctionCallback): Disposable => {
    if (this.#indexingLocked) {
      throw new CoreApiError('A function can only be registered during app startup.');
    }
    const functionId = metadata.functionId || metadata.name;
    if (this.functions.has(functionId)) {
      throw new CoreApiError(`A function with id "${functionId}" has already been registered.`);
    }
    this.functions.set(functionId, { metadata, callback, scriptFile: this.currentEntryPoint });
    return new Disposable(() => {
      if (this.#indexingLocked) {
        throw new CoreApiError('A function can only be disposed during app startup.');
      }
      this.functions.delete(functionId);
    });
  };

  registerHook = (hookName: string, callback: HookCallback): Disposable => {
    const callbacks = this.hooks.get(hookName as HookName);
    if (!callbacks) {
      const error = new RangeError(`Unrecognized hook "${hookName}"`) as RangeError & {
        isAzureFunctionsSystemError: boolean;
      };
      error.isAzureFunctionsSystemError = true;
      throw error;
    }
    callbacks.push(callback);
    return new Disposable(() => {
      const index = callbacks.indexOf(callback);
      if (index >= 0) {
        callbacks.splice(index, 1);
      }
    });
  };

  log = (level: CoreLogLevel, category: CoreLogCategory, message: string): void => {
    this.logSink(level, category, message);
  };

  /** Called once the host has read the function list; later registrations throw. */
  lockIndexing(): void {
    this.#indexingLocked = true;
  }

  get indexingLocked(): boolean {
    return this.#indexingLocked;
  }

  /**
   * Forgets registrations and hooks so one process can load an app again (in-process test hosts). The
   * programming model stays: `@azure/functions` sets it only once per loaded copy of the library.
   */
  reset(): void {
    this.functions.clear();
    hookNames.forEach((name) => this.hooks.set(name, []));
    this.#indexingLocked = false;
    this.currentEntryPoint = undefined;
    this.logSink = () => undefined;
  }
}
