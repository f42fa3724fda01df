import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { PlatformBugError } from '../errors';
import type { Extension, HostContext, InvocationInfo } from '../host/extension';
import type { BindingDefinition, FunctionDefinition } from '../host/functionIndex';
import type { RpcTypedData } from '../worker/rpc';
import { backendFactoryFor, type BackendFactory } from './backendFactory';
import type { TaskHubBackend, TaskHubBackendOptions } from './backend/types';
import { clientBindingTarget, createHostTaskHubClients } from './client/hostTaskHubClients';
import { TaskHubClient } from './client/taskHubClient';
import type { TaskHubClients } from './client/taskHubClients';
import { readDurableOptions, type BackendKind, type DurableOptions } from './config/durableOptions';
import { DurableDispatchers } from './dispatch/dispatchers';
import { createManagementApi } from './http/managementApi';
import { toClientBindingData, webhookPath } from './http/managementLinks';
import type { EngineDeps } from './orchestration/engineDeps';
import type { ReplaySchema } from './replay/orchestratorPayload';

/** How to build the Durable extension; defaults follow host.json. */
export interface DurableExtensionOptions {
  /** `memory` or `azureStorage` regardless of host.json, or a factory for a custom backend. */
  backend?: BackendKind | BackendFactory;
  /** Replay schema to advertise: `V3` (default, as the 2.x extension) or `V4` for entity critical sections. */
  replaySchema?: ReplaySchema;
}

type DurableTriggerType = 'orchestrationTrigger' | 'activityTrigger' | 'entityTrigger';

/**
 * The Durable Functions extension: orchestration, activity and entity triggers driven by the replay engine over a
 * task hub, the `durableClient` binding, and the `/runtime/webhooks/durabletask` HTTP API the SDK client calls.
 */
export class DurableExtension implements Extension {
  readonly name = 'DurableTask';
  readonly bindingTypes = ['orchestrationTrigger', 'activityTrigger', 'entityTrigger', 'durableClient'];
  readonly #options: DurableExtensionOptions;
  #context: HostContext | undefined;
  #durable: DurableOptions | undefined;
  #backend: TaskHubBackend | undefined;
  #client: TaskHubClient | undefined;
  #clients: TaskHubClients | undefined;
  #dispatchers: DurableDispatchers | undefined;
  readonly #processed = new EventEmitter().setMaxListeners(0);

  constructor(options: DurableExtensionOptions = {}) {
    this.#options = options;
  }

  /** The task hub's client (start, status, events, …); available after initialize. */
  get client(): TaskHubClient {
    return required(this.#client, 'client');
  }

  /** The task hub's storage; available after initialize. */
  get backend(): TaskHubBackend {
    return required(this.#backend, 'backend');
  }

  /** host.json `extensions.durableTask` as read; available after initialize. */
  get options(): DurableOptions {
    return required(this.#durable, 'options');
  }

  /**
   * Calls `listener` with the instance id of each orchestration work item this process finishes (checkpointed or
   * abandoned), so in-process waiters re-read an instance only when it may have changed. Returns the unsubscribe.
   */
  onOrchestrationProcessed(listener: (instanceId: string) => void): () => void {
    this.#processed.on('orchestration', listener);
    return () => void this.#processed.off('orchestration', listener);
  }

  /** Work items (episodes, activities, entity batches) being processed now; 0 when the engine is idle. */
  get workInHand(): number {
    return this.#dispatchers?.inHand ?? 0;
  }

  initialize(context: HostContext): Promise<void> {
    this.#context = context;
    const types = new Set(this.bindingTypes.map((t) => t.toLowerCase()));
    const used = context.functions.some((fn) =>
      [fn.trigger, ...fn.inputs].some((binding) => types.has(binding.type.toLowerCase())),
    );
    if (!used && this.#options.backend === undefined) {
      // Like the real host, an app without Durable functions gets no task hub (and needs no storage for it).
      return Promise.resolve();
    }
    const override = typeof this.#options.backend === 'string' ? this.#options.backend : undefined;
    const durable = readDurableOptions(context.hostJson, context.settings, override);
    this.#durable = durable;
    const logger = context.logger.forCategory('Host.Triggers.DurableTask');
    const factory =
      typeof this.#options.backend === 'function' ? this.#options.backend : backendFactoryFor(durable.backend);
    const backendOptions: TaskHubBackendOptions = {
      hubName: durable.hubName,
      partitionCount: durable.partitionCount,
      workerId: `${context.hostId}-${process.pid}-${randomUUID().slice(0, 8)}`,
      maxPollingIntervalMs: durable.maxPollingIntervalMs,
      controlQueueVisibilityTimeoutMs: durable.controlQueueVisibilityTimeoutMs,
      workItemVisibilityTimeoutMs: durable.workItemVisibilityTimeoutMs,
      controlQueueBatchSize: durable.controlQueueBatchSize,
      clock: context.clock,
      logger: logger.forCategory(`Host.Triggers.DurableTask.Backend`),
    };
    const backend = factory(backendOptions, context, durable);
    this.#backend = backend;

    const deps = this.#engineDeps(context, durable);
    this.#client = new TaskHubClient(
      backend,
      {
        orchestrator: (name) => deps.findFunction('orchestrationTrigger', name),
        entity: (name) => deps.findFunction('entityTrigger', name),
      },
      context.clock,
      durable.overridableStatuses,
    );
    this.#clients = createHostTaskHubClients({ context, durable, backend, backendOptions, client: this.#client });
    this.#dispatchers = new DurableDispatchers(
      backend,
      deps,
      {
        maxConcurrentOrchestratorFunctions: durable.maxConcurrentOrchestratorFunctions,
        maxConcurrentActivityFunctions: durable.maxConcurrentActivityFunctions,
        maxConcurrentEntityFunctions: durable.maxConcurrentEntityFunctions,
        maxEntityOperationBatchSize: durable.maxEntityOperationBatchSize,
        renewIntervalMs: Math.max(1_000, durable.workItemVisibilityTimeoutMs / 2),
      },
      logger,
      (instanceId) => this.#processed.emit('orchestration', instanceId),
    );
    context.http.addPrefix(webhookPath, createManagementApi({ clients: this.#clients, clock: context.clock, logger }));
    logger.info('Durable task hub configured', { hubName: durable.hubName, backend: backend.kind });
    return Promise.resolve();
  }

  async start(): Promise<void> {
    if (!this.#backend) {
      return;
    }
    await this.backend.createIfNotExists();
    await this.backend.start();
    required(this.#dispatchers, 'dispatchers').start();
  }

  async stop(): Promise<void> {
    await this.#dispatchers?.stop();
  }

  async dispose(): Promise<void> {
    await this.#backend?.stop();
  }

  async bindInput(binding: BindingDefinition, invocation: InvocationInfo): Promise<RpcTypedData | undefined> {
    if (binding.type.toLowerCase() !== 'durableclient') {
      return undefined;
    }
    const context = required(this.#context, 'context');
    const target = await required(this.#clients, 'task hub clients').resolve(
      clientBindingTarget(binding, invocation.functionName, context.settings),
    );
    const data = toClientBindingData({
      origin: context.baseUrl,
      hubName: target.hubName,
      connectionName: target.connectionName,
    });
    return { string: JSON.stringify(data) };
  }

  describeFunction(fn: FunctionDefinition): string | undefined {
    return `${fn.trigger.type} on task hub '${this.#durable?.hubName ?? ''}'`;
  }

  #engineDeps(context: HostContext, durable: DurableOptions): EngineDeps {
    const byType = new Map<string, Map<string, string>>();
    for (const fn of context.functions) {
      const type = fn.trigger.type.toLowerCase();
      const names = byType.get(type) ?? new Map<string, string>();
      names.set(fn.name.toLowerCase(), fn.name);
      byType.set(type, names);
    }
    return {
      clock: context.clock,
      logger: context.logger.forCategory('Host.Triggers.DurableTask'),
      httpPollingDelayMs: durable.defaultAsyncRequestSleepTimeMs,
      replaySchema: this.#options.replaySchema ?? 'V3',
      findFunction: (kind: DurableTriggerType, name: string) => byType.get(kind.toLowerCase())?.get(name.toLowerCase()),
      invoke: (functionName, trigger, reason) => context.executor.invoke({ functionName, trigger, reason }),
    };
  }
}

/** Creates the Durable extension for a host. */
export function createDurableExtension(options: DurableExtensionOptions = {}): DurableExtension {
  return new DurableExtension(options);
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new PlatformBugError(
      `The Durable extension's ${what} is used before the host initialized the extension (or the app has no ` +
        `Durable functions, so no task hub was created).`,
    );
  }
  return value;
}
