import {
  EventType,
  type FailureDetails,
  type HistoryEvent,
  type ParentInstanceRef,
  type RuntimeStatus,
} from '../backend/types';

/**
 * Factories for the history events the engine writes, with DTFx's field names. `at` is the episode's time;
 * decisions carry their task id in `EventId`, other events -1.
 */

function base(type: HistoryEvent['EventType'], at: Date, eventId = -1): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: at.toISOString() };
}

/** Opens an episode; its Timestamp becomes the orchestrator's `currentUtcDateTime`. */
export function orchestratorStarted(at: Date): HistoryEvent {
  return base(EventType.OrchestratorStarted, at);
}

/** Closes an episode. */
export function orchestratorCompleted(at: Date): HistoryEvent {
  return base(EventType.OrchestratorCompleted, at);
}

/** The first event of an execution. */
export function executionStarted(
  at: Date,
  fields: {
    name: string;
    version?: string;
    input: string;
    instanceId: string;
    executionId: string;
    parent?: ParentInstanceRef;
  },
): HistoryEvent {
  return {
    ...base(EventType.ExecutionStarted, at),
    Name: fields.name,
    Version: fields.version ?? '',
    Input: fields.input,
    OrchestrationInstance: { InstanceId: fields.instanceId, ExecutionId: fields.executionId },
    ...(fields.parent ? { ParentInstance: fields.parent } : {}),
  };
}

/** The last event of an execution that completed, failed or was terminated. */
export function executionCompleted(
  at: Date,
  status: RuntimeStatus,
  result: string,
  failureDetails?: FailureDetails,
): HistoryEvent {
  return {
    ...base(EventType.ExecutionCompleted, at),
    OrchestrationStatus: status,
    Result: result,
    ...(failureDetails ? { FailureDetails: failureDetails } : {}),
  };
}

/** An activity (or built-in HTTP activity) was scheduled under task id `id`. */
export function taskScheduled(at: Date, id: number, name: string, input: string): HistoryEvent {
  return { ...base(EventType.TaskScheduled, at, id), Name: name, Version: '', Input: input };
}

/** A durable timer was created under task id `id`. */
export function timerCreated(at: Date, id: number, fireAt: Date): HistoryEvent {
  return { ...base(EventType.TimerCreated, at, id), FireAt: fireAt.toISOString() };
}

/** A timer's message; appended when it is delivered. */
export function timerFired(at: Date, timerId: number, fireAt: string): HistoryEvent {
  return { ...base(EventType.TimerFired, at), TimerId: timerId, FireAt: fireAt };
}

/** A sub-orchestration was started under task id `id`. */
export function subOrchestrationCreated(
  at: Date,
  id: number,
  fields: { name: string; instanceId: string; input: string; version?: string },
): HistoryEvent {
  return {
    ...base(EventType.SubOrchestrationInstanceCreated, at, id),
    Name: fields.name,
    Version: fields.version ?? '',
    InstanceId: fields.instanceId,
    Input: fields.input,
  };
}

/** A message to an entity was sent under task id `id`; `input` is the request message JSON. */
export function eventSent(at: Date, id: number, instanceId: string, name: string, input: string): HistoryEvent {
  return { ...base(EventType.EventSent, at, id), InstanceId: instanceId, Name: name, Input: input };
}

/** An external event, or an entity response (named by the request id). */
export function eventRaised(at: Date, name: string, input: string | undefined): HistoryEvent {
  return { ...base(EventType.EventRaised, at), Name: name, ...(input === undefined ? {} : { Input: input }) };
}

/** An activity's result. */
export function taskCompleted(at: Date, taskScheduledId: number, result: string): HistoryEvent {
  return { ...base(EventType.TaskCompleted, at), TaskScheduledId: taskScheduledId, Result: result };
}

/** An activity's failure, as the extension reports it: Reason plus Details. */
export function taskFailed(at: Date, taskScheduledId: number, reason: string, details: string): HistoryEvent {
  return { ...base(EventType.TaskFailed, at), TaskScheduledId: taskScheduledId, Reason: reason, Details: details };
}

/** A sub-orchestration's result, sent to its parent. */
export function subOrchestrationCompleted(at: Date, taskScheduledId: number, result: string): HistoryEvent {
  return { ...base(EventType.SubOrchestrationInstanceCompleted, at), TaskScheduledId: taskScheduledId, Result: result };
}

/** A sub-orchestration's failure, sent to its parent. */
export function subOrchestrationFailed(
  at: Date,
  taskScheduledId: number,
  reason: string,
  details: string,
): HistoryEvent {
  return {
    ...base(EventType.SubOrchestrationInstanceFailed, at),
    TaskScheduledId: taskScheduledId,
    Reason: reason,
    Details: details,
  };
}

/** Terminate request; `Input` carries the reason. */
export function executionTerminated(at: Date, reason: string): HistoryEvent {
  return { ...base(EventType.ExecutionTerminated, at), Input: reason };
}

/** Suspend, resume or rewind request with its reason. */
export function lifecycleEvent(
  type: typeof EventType.ExecutionSuspended | typeof EventType.ExecutionResumed | typeof EventType.ExecutionRewound,
  at: Date,
  reason: string,
): HistoryEvent {
  return { ...base(type, at), Reason: reason };
}
