import { PlatformBugError } from '../../errors';
import {
  EventType,
  type HistoryEvent,
  type InstanceState,
  type OrchestrationCheckpoint,
  type OrchestrationWorkItem,
  type ParentInstanceRef,
  type RuntimeStatus,
  type TaskMessage,
} from '../backend/types';

/**
 * The mutable state of one instance while the engine works through a work item: the current execution's
 * history (loaded plus appended), its Instances row and the messages the episodes send. Becomes one checkpoint.
 */
export class InstanceRun {
  readonly instanceId: string;
  history: HistoryEvent[];
  #appendedFrom: number;
  #replaced = false;
  instance: InstanceState | undefined;
  #instanceChanged = false;
  readonly activityMessages: TaskMessage[] = [];
  readonly orchestrationMessages: TaskMessage[] = [];
  readonly consumedMessageIds: string[] = [];
  releaseDelayMs = 0;
  /** An ExecutionStarted waiting for its first episode (new start or continue-as-new). */
  pendingStart: HistoryEvent | undefined;

  constructor(workItem: OrchestrationWorkItem) {
    this.instanceId = workItem.instanceId;
    this.history = [...workItem.history];
    this.#appendedFrom = this.history.length;
    this.instance = workItem.instance;
  }

  /** The ExecutionStarted event of the current execution, if it started. */
  get started(): HistoryEvent | undefined {
    return this.history.find((e) => e.EventType === EventType.ExecutionStarted);
  }

  get executionId(): string | undefined {
    return this.started?.OrchestrationInstance?.ExecutionId;
  }

  get parent(): ParentInstanceRef | undefined {
    return this.started?.ParentInstance;
  }

  /** Status as the history says it; the row may lag (it is written without an etag). */
  get status(): RuntimeStatus | undefined {
    if (!this.started) {
      return undefined;
    }
    let status: RuntimeStatus = 'Running';
    for (const event of this.history) {
      if (event.EventType === EventType.ExecutionCompleted) {
        status = event.OrchestrationStatus ?? 'Completed';
      } else if (event.EventType === EventType.ExecutionSuspended) {
        status = 'Suspended';
      } else if (event.EventType === EventType.ExecutionResumed) {
        status = 'Running';
      }
    }
    return status;
  }

  /** Appends events to the current execution. */
  append(...events: HistoryEvent[]): void {
    this.history.push(...events);
  }

  /** Starts a new execution whose history replaces the old one (start over a terminal instance, continue-as-new). */
  replaceHistory(): void {
    this.history = [];
    this.#appendedFrom = 0;
    this.#replaced = true;
  }

  /** Merges fields into the Instances row. */
  updateInstance(fields: Partial<InstanceState> & Pick<InstanceState, 'lastUpdatedTime'>): void {
    if (!this.instance) {
      throw new PlatformBugError(
        `Instance '${this.instanceId}' has no Instances row to update; an execution must start before it changes.`,
      );
    }
    this.instance = { ...this.instance, ...fields };
    this.#instanceChanged = true;
  }

  /** Sets the whole Instances row. */
  setInstance(instance: InstanceState): void {
    this.instance = instance;
    this.#instanceChanged = true;
  }

  /** The checkpoint for everything done so far. */
  toCheckpoint(): OrchestrationCheckpoint {
    return {
      activityMessages: this.activityMessages,
      orchestrationMessages: this.orchestrationMessages,
      history: {
        executionId: this.executionId ?? '',
        events: this.history.slice(this.#appendedFrom),
        replace: this.#replaced,
      },
      instance: this.#instanceChanged ? this.instance : undefined,
      consumedMessageIds: this.consumedMessageIds,
      releaseDelayMs: this.releaseDelayMs,
    };
  }
}
