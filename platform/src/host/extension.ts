import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppSettings } from '../config/appSettings';
import type { HostJson } from '../config/hostJson';
import type { LocalSettings } from '../config/localSettings';
import type { Clock } from '../clock/clock';
import type { StorageAccount } from '../storage/storageAccount';
import type { RpcTypedData } from '../worker/rpc';
import type { Executor } from './executor';
import type { BindingDefinition, FunctionDefinition } from './functionIndex';
import type { HostEvents } from './hostEvents';
import type { Logger } from './logger';

/** Serves raw HTTP requests under a path prefix, such as `/runtime/webhooks/durabletask/`. */
export type RawHttpHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;

/** Lets extensions add their own endpoints to the host's HTTP server. */
export interface HttpRoutes {
  addPrefix(prefix: string, handler: RawHttpHandler): void;
}

/** What the host gives each extension: configuration, storage, the executor and a way to talk to the others. */
export interface HostContext {
  readonly appDir: string;
  readonly hostJson: HostJson;
  /** local.settings.json as read at start-up (CORS, CORSCredentials, LocalHttpPort). */
  readonly localSettings: LocalSettings;
  readonly settings: AppSettings;
  /** Host id used in `azure-webjobs-hosts` paths (receipts, locks, timer status). */
  readonly hostId: string;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly executor: Executor;
  readonly functions: readonly FunctionDefinition[];
  /** What the worker reported after loading the app, e.g. `HttpUri` when it enabled HTTP streaming. */
  readonly workerCapabilities: Readonly<Record<string, string>>;
  readonly events: HostEvents;
  readonly http: HttpRoutes;
  /** Origin the host's HTTP server answers on, e.g. `http://localhost:7071`. */
  readonly baseUrl: string;
  /** Clients for a storage connection setting; defaults to `AzureWebJobsStorage`. Cached per name. */
  storage(connectionName?: string): StorageAccount;
  /** Aborted when the host starts shutting down. */
  readonly stopping: AbortSignal;
}

/** Who is asking for a binding value: the function, the invocation and its binding data. */
export interface InvocationInfo {
  readonly functionName: string;
  readonly invocationId: string;
  /** Values for `{token}` binding expressions: trigger metadata and pattern tokens. */
  readonly bindingData: Readonly<Record<string, unknown>>;
}

/**
 * A binding extension, like the real host's: it owns some binding types, checks the functions that use them at
 * start-up, runs the listeners of its triggers, and supplies input values or writes output values.
 */
export interface Extension {
  readonly name: string;
  /** Binding types this extension handles (compared case-insensitively). */
  readonly bindingTypes: readonly string[];
  /** Checks configuration and prepares listeners; throw a ConfigurationError to stop start-up. */
  initialize(context: HostContext): Promise<void>;
  /** Starts listening, once every extension has initialized. */
  start(): Promise<void>;
  /** Stops taking new work. In-flight invocations are awaited by the host afterwards. */
  stop(): Promise<void>;
  /** Releases resources after in-flight work finished (connections, leases). */
  dispose?(): Promise<void>;
  /** The value of an input binding of one of this extension's types. */
  bindInput?(binding: BindingDefinition, invocation: InvocationInfo): Promise<RpcTypedData | undefined>;
  /** Writes a value the function set on an output binding of one of this extension's types. */
  bindOutput?(binding: BindingDefinition, value: RpcTypedData, invocation: InvocationInfo): Promise<void>;
  /** Lines for the start-up summary, e.g. the URL of each HTTP function. */
  describeFunction?(fn: FunctionDefinition): string | undefined;
}
