import path from 'node:path';
import { AppSettings } from '../config/appSettings';
import { readHostJson, type HostJson } from '../config/hostJson';
import { applyToEnvironment, readLocalSettings, type LocalSettings } from '../config/localSettings';
import { systemClock, type Clock } from '../clock/clock';
import { ConfigurationError } from '../errors';
import {
  createStorageAccount,
  resolveStorageConnectionString,
  type DevelopmentStorageEndpoint,
  type StorageAccount,
} from '../storage/storageAccount';
import type { EmulatorEvents } from '../storage/emulatorEvents';
import type { AppWorker } from '../worker/appWorker';
import { LanguageWorker, type WorkerLogHandler } from '../worker/languageWorker';
import { ThreadedWorker } from '../worker/thread/threadedWorker';
import { Executor } from './executor';
import type { Extension, HostContext } from './extension';
import { createDefaultExtensions } from './extensionRegistry';
import { indexFunctions, type FunctionDefinition } from './functionIndex';
import { HostEvents } from './hostEvents';
import { resolveHostId } from './hostId';
import { HostHttpServer } from './httpServer';
import { createLogger, levelsByDotnetName, type LogSink, type Logger } from './logger';
import { registerAdminRoutes } from './adminRoutes';

/** How to start a host. Everything but `appDir` has the Core Tools default. */
export interface HostOptions {
  appDir: string;
  /** HTTP port; default `Host.LocalHttpPort` from local.settings.json, else 7071. 0 picks a free port. */
  port?: number;
  /** Environment to read settings from and write local.settings.json `Values` into; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  logSink?: LogSink;
  verbose?: boolean;
  extensions?: Extension[];
  /** Where `UseDevelopmentStorage=true` points (the embedded Azurite's ports). */
  developmentStorage?: DevelopmentStorageEndpoint;
  /**
   * Writes in the embedded Azurite. Queue and blob listeners then react when work lands instead of waiting out
   * their polling back-off or next container scan; without it they poll and scan exactly like the real host.
   */
  emulatorEvents?: EmulatorEvents;
  /**
   * Awaited after the app is loaded and indexed, before any listener starts: local emulators and provisioning can
   * start alongside loading the app, yet be ready before the first trigger looks for its queue. It may return the
   * development storage endpoint and emulator events of what it started, in place of those options.
   */
  beforeListening?: () => Promise<LocalServiceOptions | void>;
  /** How long shutdown waits for in-flight invocations; default 30 s. */
  shutdownGraceMs?: number;
  /**
   * Runs the app in a worker thread (from the compiled platform only), so the app and the host each get a core;
   * default: in the host's thread.
   */
  workerThread?: boolean;
}

/** Host options that describe local services, which `beforeListening` may supply once they run. */
export type LocalServiceOptions = Pick<HostOptions, 'developmentStorage' | 'emulatorEvents'>;

/** State of the host as `GET /admin/host/status` reports it. */
export type HostState = 'Default' | 'Initialized' | 'Running' | 'Stopping' | 'Stopped' | 'Error';

/**
 * The local Functions host: loads the app through the worker, indexes its functions, starts one extension per
 * binding family, serves HTTP, and stops gracefully.
 */
export class FunctionsHost {
  state: HostState = 'Default';
  readonly startedAt = new Date();

  private constructor(
    readonly appDir: string,
    readonly hostJson: HostJson,
    readonly settings: AppSettings,
    readonly localSettings: LocalSettings,
    readonly hostId: string,
    readonly logger: Logger,
    readonly functions: readonly FunctionDefinition[],
    readonly baseUrl: string,
    readonly port: number,
    private readonly worker: AppWorker,
    private readonly executor: Executor,
    private readonly extensions: readonly Extension[],
    private readonly server: HostHttpServer,
    private readonly stopController: AbortController,
    private readonly shutdownGraceMs: number,
  ) {}

  /** Starts a host and returns once every listener runs; configuration errors reject with a ConfigurationError. */
  static async start(options: HostOptions): Promise<FunctionsHost> {
    const appDir = path.resolve(options.appDir);
    const env = options.env ?? process.env;
    const localSettings = readLocalSettings(appDir);
    applyToEnvironment(localSettings.values, env);
    const settings = new AppSettings({ ...env });
    const hostJson = readHostJson(appDir, env);
    const levels = options.verbose ? { ...hostJson.logLevels, default: 'debug' as const } : hostJson.logLevels;
    const logger = createLogger({ levels, sink: options.logSink, category: 'Host.Startup' });
    const clock = options.clock ?? systemClock;

    const onLog = workerLogHandler(logger);
    const worker = options.workerThread ? new ThreadedWorker(appDir, onLog) : new LanguageWorker(appDir, onLog);
    const extensions = options.extensions ?? createDefaultExtensions();
    const byType = extensionsByType(extensions);
    let functions: FunctionDefinition[];
    try {
      functions = indexFunctions(await worker.start(), new Set(byType.keys()));
    } catch (error) {
      await worker.close();
      throw error;
    }
    const executor = new Executor({
      worker,
      functions,
      extensionFor: (type) => byType.get(type.toLowerCase()),
      logger: logger.forCategory('Host.Executor'),
      clock,
      functionTimeoutMs: hostJson.functionTimeoutMs,
    });

    const server = new HostHttpServer(logger.forCategory('Host.Http'));
    const port = await server.listen(options.port ?? localSettings.localHttpPort ?? 7071).catch(async (error) => {
      await worker.close();
      throw error;
    });
    const baseUrl = `http://localhost:${port}`;
    const stopController = new AbortController();
    const hostId = resolveHostId(settings, appDir);
    const host = new FunctionsHost(
      appDir,
      hostJson,
      settings,
      localSettings,
      hostId,
      logger,
      functions,
      baseUrl,
      port,
      worker,
      executor,
      extensions,
      server,
      stopController,
      options.shutdownGraceMs ?? 30_000,
    );

    try {
      const services = await options.beforeListening?.();
      await host.#startExtensions(clock, { ...options, ...services });
    } catch (error) {
      await server.close();
      await worker.close();
      throw error;
    }
    return host;
  }

  /** Stops listeners, waits for in-flight invocations, runs appTerminate hooks and closes the server. */
  async stop(): Promise<void> {
    if (this.state === 'Stopping' || this.state === 'Stopped') {
      return;
    }
    this.state = 'Stopping';
    this.logger.info('Stopping host', { inFlight: this.executor.inFlight });
    this.stopController.abort(new Error('The host is stopping.'));
    await Promise.allSettled(this.extensions.map((extension) => extension.stop()));
    this.executor.stopRetries();
    const drained = await this.executor.drain(this.shutdownGraceMs);
    if (!drained) {
      this.logger.warn('Shutdown grace period ended with invocations still running', {
        inFlight: this.executor.inFlight,
        graceMs: this.shutdownGraceMs,
      });
    }
    for (const error of await this.worker.terminate()) {
      this.logger.error('appTerminate hook failed', { error: error.message });
    }
    await this.worker.close();
    await Promise.allSettled(this.extensions.map((extension) => extension.dispose?.() ?? Promise.resolve()));
    await this.server.close();
    this.state = 'Stopped';
    this.logger.info('Host stopped');
  }

  async #startExtensions(clock: Clock, options: HostOptions): Promise<void> {
    const { developmentStorage, emulatorEvents } = options;
    const events = new HostEvents();
    if (emulatorEvents) {
      const unsubscribes = [
        emulatorEvents.onQueueMessage((arrival) => events.emit('queueMessageAdded', arrival)),
        emulatorEvents.onBlobWritten((write) => events.emit('blobWritten', write)),
      ];
      const unsubscribeAll = () => unsubscribes.forEach((unsubscribe) => unsubscribe());
      this.stopController.signal.addEventListener('abort', unsubscribeAll, { once: true });
    }
    const accounts = new Map<string, StorageAccount>();
    const context: HostContext = {
      appDir: this.appDir,
      hostJson: this.hostJson,
      localSettings: this.localSettings,
      settings: this.settings,
      hostId: this.hostId,
      logger: this.logger,
      clock,
      executor: this.executor,
      functions: this.functions,
      workerCapabilities: this.worker.capabilities,
      events,
      http: this.server,
      baseUrl: this.baseUrl,
      stopping: this.stopController.signal,
      storage: (connectionName = 'AzureWebJobsStorage') => {
        let account = accounts.get(connectionName);
        if (!account) {
          const connectionString = resolveStorageConnectionString(this.settings, connectionName, developmentStorage);
          account = createStorageAccount(connectionName, connectionString);
          accounts.set(connectionName, account);
        }
        return account;
      },
    };
    registerAdminRoutes(this.server, this);
    for (const extension of this.extensions) {
      await extension.initialize(context);
    }
    this.state = 'Initialized';
    for (const extension of this.extensions) {
      await extension.start();
    }
    this.server.markReady();
    this.state = 'Running';
    this.#logSummary();
  }

  #logSummary(): void {
    const startup = this.logger.forCategory('Host.Startup');
    for (const fn of this.functions) {
      const extension = this.extensions.find((e) =>
        e.bindingTypes.some((t) => t.toLowerCase() === fn.trigger.type.toLowerCase()),
      );
      startup.info('Function loaded', {
        function: fn.name,
        trigger: fn.trigger.type,
        detail: extension?.describeFunction?.(fn),
      });
    }
    startup.info('Host ready', { url: this.baseUrl, functions: this.functions.length, hostId: this.hostId });
  }
}

function extensionsByType(extensions: readonly Extension[]): Map<string, Extension> {
  const map = new Map<string, Extension>();
  for (const extension of extensions) {
    for (const type of extension.bindingTypes) {
      const key = type.toLowerCase();
      const existing = map.get(key);
      if (existing) {
        throw new ConfigurationError(
          `Binding type '${type}' is claimed by both '${existing.name}' and '${extension.name}'.`,
        );
      }
      map.set(key, extension);
    }
  }
  return map;
}

/** User logs go to `Function.<name>.User`, library system logs to `Host.Worker`; `none` is dropped. */
function workerLogHandler(logger: Logger): WorkerLogHandler {
  return (entry, invocation) => {
    const level = levelsByDotnetName[entry.level];
    if (level === undefined || level === 'none') {
      return;
    }
    if (invocation && entry.category === 'user') {
      logger.forCategory(`Function.${invocation.functionName}.User`).log(level, entry.message, {
        function: invocation.functionName,
        invocationId: invocation.invocationId,
      });
    } else {
      logger.forCategory('Host.Worker').log(level, entry.message, { invocationId: invocation?.invocationId });
    }
  };
}
