import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock/clock';
import {
  EventType,
  terminalStatuses,
  type HistoryEvent,
  type InstancePage,
  type InstanceQuery,
  type InstanceState,
  type PurgeFilter,
  type RuntimeStatus,
  type TaskHubBackend,
} from '../backend/types';
import { toEntityInstanceId, type EntityId } from '../entities/entityId';
import type { EntityRequest } from '../replay/decisions';
import * as events from '../replay/historyEvents';
import { newExecutionId } from '../orchestration/episode';
import { DurableArgumentError, InstanceNotFoundError, InstanceStateError } from './errors';
import { newInstanceId, validateInstanceId } from './instanceIds';

/** What the client needs to know about the app: its orchestrators and entities. */
export interface ClientCatalog {
  /** The registered orchestrator's name, or undefined. */
  orchestrator(name: string): string | undefined;
  /** The registered entity's name, or undefined (case-insensitive). */
  entity(name: string): string | undefined;
}

/** Options of a start. `input` is JSON text. */
export interface StartOptions {
  instanceId?: string;
  input?: string;
  version?: string;
}

/**
 * The task hub's client operations, shared by the HTTP management API, the SDK's RPC calls and the test helper:
 * start, status, query, events, terminate / suspend / resume / rewind / restart, purge, and entity signals.
 */
export class TaskHubClient {
  constructor(
    private readonly backend: TaskHubBackend,
    private readonly catalog: ClientCatalog,
    private readonly clock: Clock,
    private readonly overridableStatuses: readonly RuntimeStatus[],
  ) {}

  /** Starts an orchestration; returns its instance id. */
  async startNew(name: string, options: StartOptions = {}): Promise<string> {
    const orchestrator = this.catalog.orchestrator(name);
    if (!orchestrator) {
      throw new DurableArgumentError(
        `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function. Additional info: ` +
          `the orchestrator functions of this app are listed in the host's start-up log.`,
      );
    }
    const instanceId = options.instanceId ?? newInstanceId();
    validateInstanceId(instanceId);
    const existing = await this.backend.getInstance(instanceId);
    if (existing && !this.overridableStatuses.includes(existing.runtimeStatus)) {
      throw new InstanceStateError(instanceId, existing.runtimeStatus, 'start a new orchestration under the id of');
    }

    const at = new Date(this.clock.now());
    const executionId = newExecutionId();
    const input = options.input ?? 'null';
    const row: InstanceState = {
      instanceId,
      name: orchestrator,
      ...(options.version ? { version: options.version } : {}),
      executionId,
      runtimeStatus: 'Pending',
      input,
      createdTime: at.toISOString(),
      lastUpdatedTime: at.toISOString(),
      generation: 0,
    };
    const start = events.executionStarted(at, {
      name: orchestrator,
      version: options.version,
      input,
      instanceId,
      executionId,
    });
    await this.backend.createInstance(row, { instanceId, executionId, event: start });
    return instanceId;
  }

  /** The instance row, or undefined. */
  getInstance(instanceId: string): Promise<InstanceState | undefined> {
    return this.backend.getInstance(instanceId);
  }

  /** The current execution's history. */
  getHistory(instanceId: string): Promise<HistoryEvent[]> {
    return this.backend.getHistory(instanceId);
  }

  /** One page of instances. */
  query(query: InstanceQuery): Promise<InstancePage> {
    return this.backend.queryInstances(query);
  }

  /** Raises an external event; `input` is JSON text. */
  async raiseEvent(instanceId: string, eventName: string, input: string | undefined): Promise<void> {
    const instance = await this.#requireActive(instanceId, 'raise an event on');
    const at = new Date(this.clock.now());
    await this.backend.sendOrchestrationMessages([
      { instanceId: instance.instanceId, event: events.eventRaised(at, eventName, input) },
    ]);
  }

  /** Terminates a running, pending or suspended instance. */
  async terminate(instanceId: string, reason: string): Promise<void> {
    await this.#requireActive(instanceId, 'terminate');
    await this.#send(instanceId, events.executionTerminated(new Date(this.clock.now()), reason));
  }

  /** Suspends a running instance; its messages wait until it resumes. */
  async suspend(instanceId: string, reason: string): Promise<void> {
    await this.#requireActive(instanceId, 'suspend');
    await this.#send(
      instanceId,
      events.lifecycleEvent(EventType.ExecutionSuspended, new Date(this.clock.now()), reason),
    );
  }

  /** Resumes a suspended instance. */
  async resume(instanceId: string, reason: string): Promise<void> {
    await this.#requireActive(instanceId, 'resume');
    await this.#send(instanceId, events.lifecycleEvent(EventType.ExecutionResumed, new Date(this.clock.now()), reason));
  }

  /** Rewinds a failed instance: failed tasks are scheduled again, completed work is kept. */
  async rewind(instanceId: string, reason: string): Promise<void> {
    const instance = await this.#require(instanceId);
    if (instance.runtimeStatus !== 'Failed') {
      throw new InstanceStateError(instanceId, instance.runtimeStatus, 'rewind');
    }
    await this.#send(instanceId, events.lifecycleEvent(EventType.ExecutionRewound, new Date(this.clock.now()), reason));
  }

  /** Starts the instance's orchestrator again with its original input, under the same or a new id. */
  async restart(instanceId: string, newId: boolean): Promise<string> {
    const instance = await this.#require(instanceId);
    const history = await this.backend.getHistory(instanceId);
    const started = history.find((e) => e.EventType === EventType.ExecutionStarted);
    return this.startNew(instance.name, {
      instanceId: newId ? undefined : instanceId,
      input: started?.Input ?? instance.input,
      version: instance.version,
    });
  }

  /** Deletes an instance's row and history; false when it did not exist. */
  purge(instanceId: string): Promise<boolean> {
    return this.backend.purgeInstance(instanceId);
  }

  /** Purges every instance matching the filter. */
  purgeBy(filter: PurgeFilter): Promise<number> {
    return this.backend.purgeInstances(filter);
  }

  /** Sends a one-way operation to an entity; `input` is JSON text. */
  async signalEntity(entity: EntityId, operation: string, input: string | undefined): Promise<void> {
    if (!this.catalog.entity(entity.name)) {
      throw new InstanceNotFoundError(toEntityInstanceId(entity));
    }
    const request: EntityRequest = {
      id: randomUUID(),
      op: operation,
      signal: true,
      ...(input === undefined ? {} : { input }),
    };
    const at = new Date(this.clock.now());
    await this.backend.sendOrchestrationMessages([
      { instanceId: toEntityInstanceId(entity), event: events.eventRaised(at, 'op', JSON.stringify(request)) },
    ]);
  }

  /** The entity's state as JSON text, or undefined when it does not exist. */
  async readEntityState(entity: EntityId): Promise<{ state: string; lastUpdatedTime: string } | undefined> {
    const row = await this.backend.getInstance(toEntityInstanceId(entity));
    return row?.input === undefined ? undefined : { state: row.input, lastUpdatedTime: row.lastUpdatedTime };
  }

  async #send(instanceId: string, event: HistoryEvent): Promise<void> {
    await this.backend.sendOrchestrationMessages([{ instanceId, event }]);
  }

  async #require(instanceId: string): Promise<InstanceState> {
    const instance = await this.backend.getInstance(instanceId);
    if (!instance) {
      throw new InstanceNotFoundError(instanceId);
    }
    return instance;
  }

  async #requireActive(instanceId: string, operation: string): Promise<InstanceState> {
    const instance = await this.#require(instanceId);
    if (terminalStatuses.includes(instance.runtimeStatus)) {
      throw new InstanceStateError(instanceId, instance.runtimeStatus, operation);
    }
    return instance;
  }
}
