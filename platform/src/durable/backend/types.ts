/**
 * The task-hub storage contract of the Durable engine, and the domain types it moves around.
 *
 * The engine (replay, dispatchers, client API) is storage-agnostic; a backend persists one task hub: instance
 * rows, per-instance history, orchestration control messages partitioned by instance id (with delayed delivery
 * for durable timers) and activity work items. Two backends implement it: the in-memory one (virtual clock,
 * tests) and the Azure Storage one (Azurite locally), which follows DurableTask.AzureStorage's layout.
 *
 * Wire conventions: history events keep the PascalCase keys and numeric `EventType` that DTFx serializes and the
 * `durable-functions` SDK reads (reference durable.md §3); payload fields (`Input`, `Result`, `Output`, …) are
 * JSON text, never parsed values. Times are ISO strings in events and rows, epoch milliseconds of the host
 * clock in scheduling fields.
 */
import type { Clock } from '../../clock/clock';
import type { Logger } from '../../host/logger';

/** DTFx `EventType` numbers, as the SDK reads them from `history[].EventType`. */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  GenericEvent: 17,
  HistoryState: 18,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
  ExecutionRewound: 21,
} as const;

/** One of the numeric `EventType` values. */
export type EventType = (typeof EventType)[keyof typeof EventType];

/** DTFx `FailureDetails`, as the SDK reads it from TaskFailed / SubOrchestrationInstanceFailed. */
export interface FailureDetails {
  ErrorType: string;
  ErrorMessage: string;
  StackTrace?: string;
  IsNonRetriable?: boolean;
  InnerFailure?: FailureDetails;
  Properties?: Record<string, unknown>;
}

/** `{InstanceId, ExecutionId}` as DTFx serializes an `OrchestrationInstance`. */
export interface OrchestrationInstanceRef {
  InstanceId: string;
  ExecutionId: string;
}

/** DTFx `ParentInstance` of a sub-orchestration's ExecutionStarted event. */
export interface ParentInstanceRef {
  Name: string;
  Version?: string;
  /** The parent's task id for this child: completions go back as `TaskScheduledId`. */
  TaskScheduleId: number;
  OrchestrationInstance: OrchestrationInstanceRef;
}

/**
 * A history event, flat like a `<Hub>History` table row: the common keys plus the fields of its `EventType`.
 * Which optional fields each type carries (all payloads are JSON text):
 * - ExecutionStarted: Name, Version, Input, OrchestrationInstance, ParentInstance?, ScheduledStartTime?, Tags?
 * - ExecutionCompleted: OrchestrationStatus, Result, FailureDetails?
 * - ExecutionTerminated: Input (the reason)
 * - TaskScheduled: Name, Version, Input (EventId = task id)
 * - TaskCompleted: TaskScheduledId, Result
 * - TaskFailed / SubOrchestrationInstanceFailed: TaskScheduledId, Reason, Details, FailureDetails?
 * - SubOrchestrationInstanceCreated: Name, Version, InstanceId, Input (EventId = task id)
 * - SubOrchestrationInstanceCompleted: TaskScheduledId, Result
 * - TimerCreated: FireAt (EventId = task id); TimerFired: TimerId, FireAt
 * - EventSent: InstanceId, Name, Input (EventId = task id); EventRaised: Name, Input
 * - ExecutionSuspended / ExecutionResumed / ExecutionRewound: Reason
 * - GenericEvent: Data
 */
export interface HistoryEvent {
  EventType: EventType;
  /** Task id for decisions (TaskScheduled, TimerCreated, …); -1 otherwise. */
  EventId: number;
  IsPlayed: boolean;
  /** ISO time the event was created (the episode's time for decisions). */
  Timestamp: string;
  Name?: string;
  Version?: string;
  Input?: string;
  Result?: string;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  Reason?: string;
  Details?: string;
  FailureDetails?: FailureDetails;
  InstanceId?: string;
  OrchestrationStatus?: RuntimeStatus;
  OrchestrationInstance?: OrchestrationInstanceRef;
  ParentInstance?: ParentInstanceRef;
  ScheduledStartTime?: string;
  Tags?: Record<string, string>;
  Data?: string;
}

/** Whether an instance id names an entity (`@<name>@<key>`) rather than an orchestration. */
export function isEntityInstanceId(instanceId: string): boolean {
  return instanceId.startsWith('@');
}

/** Instance runtime status, spelled as the HTTP API and the Instances table spell it. */
export type RuntimeStatus =
  'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Canceled' | 'Terminated' | 'Suspended';

/** Statuses after which an instance takes no more work (raise event → 410). */
export const terminalStatuses: readonly RuntimeStatus[] = ['Completed', 'Failed', 'Canceled', 'Terminated'];

/**
 * One row of `<Hub>Instances`: an orchestration instance or an entity (instance id `@<name>@<key>`). Eventually
 * consistent with the history; the history plus the queues are the source of truth.
 */
export interface InstanceState {
  instanceId: string;
  /** Orchestrator name, or the entity name for entities. */
  name: string;
  version?: string;
  /** Id of the current execution (a new one per continue-as-new generation). */
  executionId: string;
  runtimeStatus: RuntimeStatus;
  /** JSON text of the input. For entities: JSON text of the entity's state (absent when it does not exist). */
  input?: string;
  /** JSON text of the output; on failure the failure details, on terminate/suspend/resume the reason. */
  output?: string;
  /** JSON text of the custom status; absent when unset. */
  customStatus?: string;
  createdTime: string;
  lastUpdatedTime: string;
  completedTime?: string;
  scheduledStartTime?: string;
  parentInstanceId?: string;
  /** Continue-as-new generation, 0 for the first execution. */
  generation: number;
}

/**
 * A message to an orchestration or entity instance (control queue) or to an activity worker (work-item queue).
 * Activity messages carry a TaskScheduled event; responses carry TaskCompleted / TaskFailed; timers TimerFired;
 * starts ExecutionStarted; client operations EventRaised / ExecutionTerminated / ExecutionSuspended / …;
 * entity operations EventRaised whose `Input` is the request message.
 */
export interface TaskMessage {
  /** Target instance (the orchestration that scheduled an activity, for activity messages). */
  instanceId: string;
  /** Target execution; a message for an older execution is discarded by the engine. Absent = any. */
  executionId?: string;
  event: HistoryEvent;
  /** Deliver no earlier than this host-clock time (epoch ms); durable timers. Any distance in the future. */
  deliverAt?: number;
}

/** A control-queue message as delivered: the backend's id for it and how often it was delivered before. */
export interface ReceivedMessage {
  /** Unique per delivered message; name it in `consumedMessageIds` to delete it at checkpoint. */
  readonly messageId: string;
  readonly dequeueCount: number;
  readonly message: TaskMessage;
}

/** Everything an orchestration (or entity) episode needs, locked for one dispatcher until completed or abandoned. */
export interface OrchestrationWorkItem {
  readonly instanceId: string;
  /** Visible messages for this instance, in arrival order (timers once due). At least one. */
  readonly messages: readonly ReceivedMessage[];
  /** The current execution's history in order; empty for a new instance or an entity. */
  readonly history: readonly HistoryEvent[];
  /** The Instances row, if any. */
  readonly instance: InstanceState | undefined;
  /** Concurrency token of the history as loaded; undefined when the instance has no history yet. */
  readonly etag: string | undefined;
}

/** What to persist when an orchestration work item completes; applied in the provider's checkpoint order. */
export interface OrchestrationCheckpoint {
  /** Sent first: activity messages to the work-item queue. */
  readonly activityMessages: readonly TaskMessage[];
  /** Sent first: messages to other instances or to itself (timers with `deliverAt`, child starts, responses). */
  readonly orchestrationMessages: readonly TaskMessage[];
  /**
   * Then written under the work item's etag. `replace: false` appends `events` to the loaded history;
   * `replace: true` starts a new execution (continue-as-new, restart, rewind) whose history is exactly `events`.
   * Empty `events` with `replace: false` writes no history (entities, discarded messages).
   */
  readonly history: {
    readonly executionId: string;
    readonly events: readonly HistoryEvent[];
    readonly replace: boolean;
  };
  /** Then upserted without an etag (eventually consistent, as in the provider). Undefined leaves the row as is. */
  readonly instance: InstanceState | undefined;
  /**
   * Deleted last. Messages of the work item named neither here nor in `parkedMessageIds` are released for
   * redelivery after `releaseDelayMs`.
   */
  readonly consumedMessageIds: readonly string[];
  /** Delay before unconsumed messages become visible again (out-of-order responses); default 0. */
  readonly releaseDelayMs?: number;
  /**
   * Messages kept back, undelivered, until the next new message for the instance arrives; then they are delivered
   * again ahead of it, in arrival order. A suspended instance waits this way for its resume or terminate.
   */
  readonly parkedMessageIds?: readonly string[];
}

/** An activity invocation to run, locked until completed, abandoned or its visibility timeout passes. */
export interface ActivityWorkItem {
  readonly id: string;
  readonly dequeueCount: number;
  /** `event` is the TaskScheduled event (`EventId` = task id, `Name`, `Input`). */
  readonly message: TaskMessage;
}

/** Filter and page of an instance query (HTTP `GET instances`). */
export interface InstanceQuery {
  /** Inclusive lower bound of `createdTime` (ISO). */
  readonly createdTimeFrom?: string;
  /** Inclusive upper bound of `createdTime` (ISO). */
  readonly createdTimeTo?: string;
  readonly runtimeStatus?: readonly RuntimeStatus[];
  readonly instanceIdPrefix?: string;
  /** Page size; a backend may return fewer (the caller follows the token). Default 100. */
  readonly top?: number;
  /** Opaque token from a previous page. */
  readonly continuationToken?: string;
  /** Entities (`@…` ids) are excluded unless true; with true only entities are returned. */
  readonly entities?: boolean;
}

/** One page of instances; no token means the last page. */
export interface InstancePage {
  readonly instances: readonly InstanceState[];
  readonly continuationToken?: string;
}

/** Filter of a purge-many (HTTP `DELETE instances`). */
export interface PurgeFilter {
  readonly createdTimeFrom: string;
  readonly createdTimeTo?: string;
  readonly runtimeStatus?: readonly RuntimeStatus[];
}

/**
 * One task hub in some storage. The engine calls it from several dispatcher loops at once; implementations must be
 * safe for that, and across host processes too (partition leases) when the storage is shared.
 *
 * Guarantees the engine relies on:
 * - at-least-once delivery: a message is delivered again until named in `consumedMessageIds` (orchestrations) or
 *   its work item is completed (activities); duplicates are the engine's to drop;
 * - never two orchestration work items for one instance at a time, across every process sharing the hub;
 * - `completeOrchestrationWorkItem` sends, then writes history under the etag, then upserts the instance, then
 *   deletes consumed messages; an etag mismatch throws `HistoryConflictError` before anything but the sends;
 * - payloads of any size (several MB) round-trip intact (Azure: blobs for large queue messages / table
 *   properties, as the provider does).
 */
export interface TaskHubBackend {
  /** `memory` or `azureStorage`, for logs. */
  readonly kind: string;
  readonly hubName: string;
  readonly partitionCount: number;

  /** Creates the hub's tables, queues and containers if missing. Idempotent. */
  createIfNotExists(): Promise<void>;
  /** Deletes every artifact of the hub (tests, `func durable delete-task-hub`). */
  deleteTaskHub(): Promise<void>;
  /** Starts owning partitions (leases) and receiving; called once before the first `lockNext…`. */
  start(): Promise<void>;
  /** Stops receiving and releases leases; pending `lockNext…` calls resolve undefined. */
  stop(): Promise<void>;

  /**
   * Waits for the next orchestration work item of an owned partition. Resolves undefined when the signal aborts,
   * the backend stops, or a poll period passes with nothing to do (the caller loops).
   */
  lockNextOrchestrationWorkItem(signal: AbortSignal): Promise<OrchestrationWorkItem | undefined>;
  /**
   * The same for entities (`@name@key` instances), which have their own dispatcher and concurrency limit as in
   * DTFx (`LockNextEntityWorkItemAsync`); complete and abandon them like orchestration work items.
   */
  lockNextEntityWorkItem(signal: AbortSignal): Promise<OrchestrationWorkItem | undefined>;
  /** Persists an episode in checkpoint order and unlocks the instance; `HistoryConflictError` on etag mismatch. */
  completeOrchestrationWorkItem(workItem: OrchestrationWorkItem, checkpoint: OrchestrationCheckpoint): Promise<void>;
  /** Unlocks the instance and makes all its messages visible again after `delayMs` (default 0). */
  abandonOrchestrationWorkItem(workItem: OrchestrationWorkItem, delayMs?: number): Promise<void>;

  /** Waits for the next activity work item (any partition: competing consumers). Undefined as above. */
  lockNextActivityWorkItem(signal: AbortSignal): Promise<ActivityWorkItem | undefined>;
  /** Extends an activity's lock while it runs longer than the visibility timeout. */
  renewActivityWorkItem(workItem: ActivityWorkItem): Promise<void>;
  /** Sends the activity's response (TaskCompleted / TaskFailed) to its orchestration, then deletes the work item. */
  completeActivityWorkItem(workItem: ActivityWorkItem, response: TaskMessage): Promise<void>;
  /** Makes the work item visible again after `delayMs` (default 0). */
  abandonActivityWorkItem(workItem: ActivityWorkItem, delayMs?: number): Promise<void>;

  /** Writes the instance row (Pending) and then sends its ExecutionStarted message (client start). */
  createInstance(instance: InstanceState, startMessage: TaskMessage): Promise<void>;
  /** Sends messages to instances' control queues (raise event, terminate, signal entity, …). */
  sendOrchestrationMessages(messages: readonly TaskMessage[]): Promise<void>;
  /** The Instances row, or undefined. */
  getInstance(instanceId: string): Promise<InstanceState | undefined>;
  /** The current execution's history, in order (empty when none). */
  getHistory(instanceId: string): Promise<HistoryEvent[]>;
  /** One page of instances matching the query, ordered by the backend's key order. */
  queryInstances(query: InstanceQuery): Promise<InstancePage>;
  /** Deletes an instance's row, history and large payloads; false when it did not exist. */
  purgeInstance(instanceId: string): Promise<boolean>;
  /** Purges every instance matching the filter; returns how many were deleted. */
  purgeInstances(filter: PurgeFilter): Promise<number>;
}

/** Settings every backend receives (from host.json `extensions.durableTask`). */
export interface TaskHubBackendOptions {
  hubName: string;
  /** 1–16; control queues `<hub>-control-00…`. */
  partitionCount: number;
  /** Unique per host process: lease owner id. */
  workerId: string;
  /** Longest wait between empty polls (`maxQueuePollingInterval`), ms. */
  maxPollingIntervalMs: number;
  /** `controlQueueVisibilityTimeout`, ms. */
  controlQueueVisibilityTimeoutMs: number;
  /** `workItemQueueVisibilityTimeout`, ms. */
  workItemVisibilityTimeoutMs: number;
  /** Maximum messages fetched per control-queue receive (`controlQueueBatchSize`). */
  controlQueueBatchSize: number;
  /** The host clock: `deliverAt` and instance times are in its time (virtual in tests). */
  clock: Clock;
  /** Category `Host.Triggers.DurableTask.<backend>`; never log payloads or connection strings. */
  logger: Logger;
}
