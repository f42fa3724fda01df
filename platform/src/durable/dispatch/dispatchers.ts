import type { Logger } from '../../host/logger';
import { runActivity } from '../activities/activityRunner';
import { HistoryConflictError } from '../backend/errors';
import type { ActivityWorkItem, OrchestrationWorkItem, TaskHubBackend } from '../backend/types';
import { processEntityWorkItem, type EntityProcessingOptions } from '../entities/entityProcessor';
import type { EngineDeps } from '../orchestration/engineDeps';
import { processOrchestrationWorkItem, toPoisonCheckpoint } from '../orchestration/orchestrationProcessor';
import { ensureError } from '../../errors';
import { WorkItemLoops } from './workItemLoop';

/** Concurrency limits from host.json `extensions.durableTask`. */
export interface DispatcherLimits {
  maxConcurrentOrchestratorFunctions: number;
  maxConcurrentActivityFunctions: number;
  maxConcurrentEntityFunctions: number;
  /** Most operations per entity function invocation (`maxEntityOperationBatchSize`). */
  maxEntityOperationBatchSize: number;
  /** Activity lock renewal period in real milliseconds (half the work-item visibility timeout). */
  renewIntervalMs: number;
}

/** Delay before an orchestration work item that failed inside the engine is tried again. */
const abandonDelayMs = 1_000;

/**
 * The orchestration, entity and activity dispatchers of one host process over one task hub. Entities have their
 * own loops and limit, as DTFx's TaskEntityDispatcher (`MaxConcurrentTaskEntityWorkItems`).
 */
export class DurableDispatchers {
  readonly #orchestrations: WorkItemLoops<OrchestrationWorkItem>;
  readonly #entities: WorkItemLoops<OrchestrationWorkItem>;
  readonly #activities: WorkItemLoops<ActivityWorkItem>;

  /**
   * `onOrchestrationProcessed` hears the instance id of each orchestration work item once this process has
   * checkpointed or abandoned it.
   */
  constructor(
    backend: TaskHubBackend,
    deps: EngineDeps,
    limits: DispatcherLimits,
    logger: Logger,
    onOrchestrationProcessed: (instanceId: string) => void = () => undefined,
  ) {
    this.#orchestrations = new WorkItemLoops(
      {
        name: 'orchestrations',
        lockNext: (signal) => backend.lockNextOrchestrationWorkItem(signal),
        process: (item) =>
          processOrchestration(backend, deps, item).finally(() => onOrchestrationProcessed(item.instanceId)),
      },
      limits.maxConcurrentOrchestratorFunctions,
      logger,
    );
    const entityOptions = { maxBatchSize: limits.maxEntityOperationBatchSize };
    this.#entities = new WorkItemLoops(
      {
        name: 'entities',
        lockNext: (signal) => backend.lockNextEntityWorkItem(signal),
        process: (item) => processEntity(backend, deps, item, entityOptions),
      },
      limits.maxConcurrentEntityFunctions,
      logger,
    );
    this.#activities = new WorkItemLoops(
      {
        name: 'activities',
        lockNext: (signal) => backend.lockNextActivityWorkItem(signal),
        process: (item) => processActivity(backend, deps, item, limits.renewIntervalMs),
      },
      limits.maxConcurrentActivityFunctions,
      logger,
    );
  }

  /** Work items of any kind being processed now. */
  get inHand(): number {
    return this.#orchestrations.inHand + this.#entities.inHand + this.#activities.inHand;
  }

  start(): void {
    this.#orchestrations.start();
    this.#entities.start();
    this.#activities.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.#orchestrations.stop(), this.#entities.stop(), this.#activities.stop()]);
  }
}

async function processOrchestration(
  backend: TaskHubBackend,
  deps: EngineDeps,
  item: OrchestrationWorkItem,
): Promise<void> {
  try {
    await backend.completeOrchestrationWorkItem(item, await processOrchestrationWorkItem(item, deps));
  } catch (error) {
    if (error instanceof HistoryConflictError) {
      deps.logger.warn('Checkpoint conflict; work item abandoned', { instanceId: item.instanceId });
      await backend.abandonOrchestrationWorkItem(item, 0);
      return;
    }
    const poison = toPoisonCheckpoint(item, ensureError(error), deps);
    if (poison) {
      await backend.completeOrchestrationWorkItem(item, poison);
      return;
    }
    await backend.abandonOrchestrationWorkItem(item, abandonDelayMs);
    throw error;
  }
}

async function processEntity(
  backend: TaskHubBackend,
  deps: EngineDeps,
  item: OrchestrationWorkItem,
  options: EntityProcessingOptions,
): Promise<void> {
  try {
    await backend.completeOrchestrationWorkItem(item, await processEntityWorkItem(item, deps, options));
  } catch (error) {
    if (error instanceof HistoryConflictError) {
      deps.logger.warn('Checkpoint conflict; work item abandoned', { instanceId: item.instanceId });
      await backend.abandonOrchestrationWorkItem(item, 0);
      return;
    }
    await backend.abandonOrchestrationWorkItem(item, abandonDelayMs);
    throw error;
  }
}

async function processActivity(
  backend: TaskHubBackend,
  deps: EngineDeps,
  item: ActivityWorkItem,
  renewIntervalMs: number,
): Promise<void> {
  const renewal = setInterval(() => {
    backend.renewActivityWorkItem(item).catch((error: unknown) => {
      deps.logger.warn('Activity lock renewal failed', { instanceId: item.message.instanceId, error: String(error) });
    });
  }, renewIntervalMs);
  renewal.unref();
  try {
    const response = await runActivity(item, deps);
    await backend.completeActivityWorkItem(item, response);
  } catch (error) {
    await backend.abandonActivityWorkItem(item, abandonDelayMs);
    throw error;
  } finally {
    clearInterval(renewal);
  }
}
