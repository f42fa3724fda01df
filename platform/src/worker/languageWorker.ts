import { AppLoadError, ensureError } from '../errors';
import { loadEntryPoints, readAppPackage, resolveEntryPoints } from './appLoader';
import type { AppWorker } from './appWorker';
import type { CoreApi, RegisteredFunction } from './coreApi';
import type {
  AppStartContext,
  AppTerminateContext,
  CoreInvocationContext,
  CoreLogCategory,
  CoreLogLevel,
  FunctionCallback,
  HookCallback,
  HookData,
  HookName,
  InvocationState,
  PostInvocationContext,
  PreInvocationContext,
  ProgrammingModel,
} from './coreTypes';
import { installCoreModule } from './installCoreModule';
import type { InvocationRequest, InvocationResponse } from './rpc';

/** Capabilities the real Node.js worker reports by default; the programming model may add to them. */
const defaultCapabilities: Readonly<Record<string, string>> = {
  RawHttpBodyBytes: 'true',
  RpcHttpTriggerMetadataRemoved: 'true',
  RpcHttpBodyOnly: 'true',
  IgnoreEmptyValuedRpcHttpHeaders: 'true',
  UseNullableValueDictionaryForHttp: 'true',
  WorkerStatus: 'true',
  TypedDataCollection: 'true',
  HandlesWorkerTerminateMessage: 'true',
};

type LogEntry = { level: CoreLogLevel; category: CoreLogCategory; message: string };

/** The invocation a log line belongs to, with the library's context object once it exists (for log hooks). */
interface LoggingInvocation {
  invocationId: string;
  functionName: string;
  context: object;
}

/** Where log lines written through the library end up: category `user` or `system`, with the invocation. */
export type WorkerLogHandler = (
  entry: { level: CoreLogLevel; category: CoreLogCategory; message: string },
  invocation: { invocationId: string; functionName: string } | undefined,
) => void;

/**
 * The Node.js language worker, in process: loads the app through `@azure/functions-core`, reports
 * capabilities, runs hooks and invocations exactly in the order the real worker does.
 */
export class LanguageWorker implements AppWorker {
  readonly appHookData: HookData = {};
  /** Shared by appStart and appTerminate hooks only, as in the real worker. */
  readonly appLevelHookData: HookData = {};
  capabilities: Record<string, string> = {};

  readonly #coreApi: CoreApi;
  readonly #appDir: string;
  #functions = new Map<string, RegisteredFunction>();
  #hooks = new Map<HookName, HookCallback[]>();
  #programmingModel: ProgrammingModel | undefined;

  constructor(appDir: string, log: WorkerLogHandler) {
    this.#appDir = appDir;
    this.#coreApi = installCoreModule();
    this.#coreApi.reset();
    this.#log = log;
    this.#coreApi.logSink = (level, category, message) => this.#emitLog({ level, category, message }, undefined);
  }

  readonly #log: WorkerLogHandler;

  /** Loads the entry points, runs appStart hooks, asks for capabilities and locks registration. */
  async start(): Promise<RegisteredFunction[]> {
    const pkg = readAppPackage(this.#appDir);
    const entryPoints = await resolveEntryPoints(this.#appDir, pkg.main);
    await loadEntryPoints(this.#coreApi, entryPoints, pkg);
    // Keep what this app registered, so a later worker in the same process cannot change it.
    this.#functions = new Map(this.#coreApi.functions);
    this.#hooks = new Map([...this.#coreApi.hooks].map(([name, callbacks]) => [name, [...callbacks]]));
    this.#programmingModel = this.#coreApi.getProgrammingModel();

    const appStart: AppStartContext = {
      hookData: this.appLevelHookData,
      appHookData: this.appHookData,
      functionAppDirectory: this.#appDir,
    };
    await this.#runHooks('appStart', appStart);

    const model = this.#programmingModel;
    const capabilities = { ...defaultCapabilities };
    this.capabilities = model?.getCapabilities ? await model.getCapabilities(capabilities) : capabilities;
    this.#coreApi.lockIndexing();
    return [...this.#functions.values()];
  }

  /** Runs appTerminate hooks; errors are reported, not thrown, so shutdown always completes. */
  async terminate(): Promise<Error[]> {
    const context: AppTerminateContext = { hookData: this.appLevelHookData, appHookData: this.appHookData };
    try {
      await this.#runHooks('appTerminate', context);
      return [];
    } catch (error) {
      return [ensureError(error)];
    }
  }

  /** Nothing to release: the app runs in this thread. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** One invocation, as the real worker's InvocationHandler runs it; failures come back as a failure result. */
  async invoke(request: InvocationRequest): Promise<InvocationResponse> {
    try {
      return { ...(await this.#invoke(request)), result: { status: 'success' } };
    } catch (thrown) {
      const error = ensureError(thrown);
      return {
        invocationId: request.invocationId,
        result: { status: 'failure', exception: { message: error.message, stackTrace: error.stack } },
      };
    }
  }

  async #invoke(request: InvocationRequest): Promise<Omit<InvocationResponse, 'result'>> {
    const registered = this.#functions.get(request.functionId);
    if (!registered) {
      throw new AppLoadError(`Function code for '${request.functionId}' is not loaded and cannot be invoked.`);
    }
    const model = this.#requireProgrammingModel();
    const invocation = { invocationId: request.invocationId, functionName: registered.metadata.name, context: {} };
    const coreContext = this.#coreContext(request, registered, invocation);
    const invocationModel = await model.getInvocationModel(coreContext);
    const hookData: HookData = {};
    const { context, inputs } = await invocationModel.getArguments();
    invocation.context = context as object;

    const pre: PreInvocationContext = {
      hookData,
      appHookData: this.appHookData,
      invocationContext: context,
      inputs,
      functionCallback: registered.callback,
    };
    await withState(coreContext, 'preInvocationHooks', () => this.#runHooks('preInvocation', pre));

    const post: PostInvocationContext = {
      hookData,
      appHookData: this.appHookData,
      invocationContext: context,
      inputs: pre.inputs,
      result: null,
      error: null,
    };
    const callback: FunctionCallback = pre.functionCallback;
    await withState(coreContext, 'invocation', async () => {
      try {
        post.result = await invocationModel.invokeFunction(context, pre.inputs, callback);
      } catch (error) {
        post.error = error;
      }
    });
    await withState(coreContext, 'postInvocationHooks', () => this.#runHooks('postInvocation', post));

    if (post.error !== null && post.error !== undefined) {
      throw ensureError(post.error);
    }
    return invocationModel.getResponse(context, post.result);
  }

  #requireProgrammingModel(): ProgrammingModel {
    const model = this.#programmingModel;
    if (!model) {
      throw new AppLoadError('No programming model was registered: the app never called @azure/functions.');
    }
    return model;
  }

  #coreContext(
    request: InvocationRequest,
    registered: RegisteredFunction,
    invocation: LoggingInvocation,
  ): CoreInvocationContext {
    return {
      invocationId: request.invocationId,
      request,
      metadata: registered.metadata,
      state: undefined,
      log: (level, category, message) => this.#emitLog({ level, category, message }, invocation),
    };
  }

  /**
   * Runs the app's `log` hooks (synchronously, for every entry, as the worker does), then hands the entry on.
   * A hook may rewrite the message and level of user logs only.
   */
  #emitLog(entry: LogEntry, invocation: LoggingInvocation | undefined): void {
    const hooks = this.#hooks.get('log') ?? [];
    let { level, message } = entry;
    if (hooks.length > 0) {
      const hookContext = {
        hookData: {},
        appHookData: this.appHookData,
        level,
        message,
        category: entry.category,
        invocationContext: invocation?.context,
      };
      for (const hook of hooks) {
        void (hook as (context: object) => unknown)(hookContext);
      }
      if (entry.category === 'user') {
        ({ level, message } = hookContext);
      }
    }
    this.#log({ level, category: entry.category, message }, invocation);
  }

  async #runHooks(name: HookName, context: object): Promise<void> {
    for (const callback of [...(this.#hooks.get(name) ?? [])]) {
      await (callback as (context: object) => unknown)(context);
    }
  }
}

async function withState(context: CoreInvocationContext, state: InvocationState, run: () => Promise<void>) {
  context.state = state;
  try {
    await run();
  } finally {
    context.state = undefined;
  }
}
