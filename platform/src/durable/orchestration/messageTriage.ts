import {
  EventType,
  terminalStatuses,
  type HistoryEvent,
  type ReceivedMessage,
  type RuntimeStatus,
} from '../backend/types';

/** What to do with one delivered message. */
export type Verdict =
  | { readonly kind: 'start' }
  | { readonly kind: 'apply' }
  | { readonly kind: 'lifecycle' }
  | { readonly kind: 'drop'; readonly reason: string }
  | { readonly kind: 'defer'; readonly reason: string }
  | { readonly kind: 'park'; readonly reason: string };

/** Deliveries after which a message for an instance that never started is dropped (dtfx-as keeps it ~5 times). */
export const maxDeliveriesBeforeStart = 5;

const responseTypes = new Set<number>([
  EventType.TaskCompleted,
  EventType.TaskFailed,
  EventType.SubOrchestrationInstanceCompleted,
  EventType.SubOrchestrationInstanceFailed,
  EventType.TimerFired,
]);

const lifecycleTypes = new Set<number>([
  EventType.ExecutionTerminated,
  EventType.ExecutionSuspended,
  EventType.ExecutionResumed,
  EventType.ExecutionRewound,
]);

/**
 * Decides how a message meets the instance as the history describes it: start it, apply it in an episode,
 * handle a lifecycle request, drop a duplicate or stale message, defer one that arrived too early (a response
 * whose scheduling event is not checkpointed yet), or park one for a suspended instance until it resumes.
 */
export function triage(
  received: ReceivedMessage,
  state: { history: readonly HistoryEvent[]; status: RuntimeStatus | undefined; executionId: string | undefined },
): Verdict {
  const event = received.message.event;
  if (event.EventType === EventType.ExecutionStarted) {
    return triageStart(event, state);
  }
  if (state.status === undefined) {
    return received.dequeueCount < maxDeliveriesBeforeStart
      ? { kind: 'defer', reason: 'the instance has not started yet' }
      : { kind: 'drop', reason: 'the instance never started' };
  }
  const target = received.message.executionId;
  if (target && state.executionId && target !== state.executionId) {
    return { kind: 'drop', reason: `it belongs to execution '${target}', not the current one` };
  }
  if (event.EventType === EventType.ExecutionRewound) {
    return state.status === 'Failed' ? { kind: 'lifecycle' } : { kind: 'drop', reason: 'only failed instances rewind' };
  }
  if (terminalStatuses.includes(state.status)) {
    return { kind: 'drop', reason: `the instance is ${state.status}` };
  }
  if (lifecycleTypes.has(event.EventType)) {
    return { kind: 'lifecycle' };
  }
  if (state.status === 'Suspended') {
    return { kind: 'park', reason: 'the instance is suspended' };
  }
  if (responseTypes.has(event.EventType)) {
    return triageResponse(event, state.history);
  }
  return { kind: 'apply' };
}

function triageStart(
  event: HistoryEvent,
  state: { status: RuntimeStatus | undefined; executionId: string | undefined },
): Verdict {
  if (state.executionId && event.OrchestrationInstance?.ExecutionId === state.executionId) {
    return { kind: 'drop', reason: 'duplicate start of the current execution' };
  }
  if (state.status !== undefined && !terminalStatuses.includes(state.status)) {
    return { kind: 'drop', reason: `the instance is already ${state.status}` };
  }
  return { kind: 'start' };
}

function triageResponse(event: HistoryEvent, history: readonly HistoryEvent[]): Verdict {
  const id = event.EventType === EventType.TimerFired ? event.TimerId : event.TaskScheduledId;
  const scheduled = history.some((e) => e.EventId === id && isDecision(e));
  if (!scheduled) {
    return { kind: 'defer', reason: `task id ${String(id)} is not scheduled in the loaded history` };
  }
  const done = history.some((e) => responseTypes.has(e.EventType) && responseId(e) === id);
  return done ? { kind: 'drop', reason: `task id ${String(id)} already completed` } : { kind: 'apply' };
}

function isDecision(event: HistoryEvent): boolean {
  return (
    event.EventType === EventType.TaskScheduled ||
    event.EventType === EventType.TimerCreated ||
    event.EventType === EventType.SubOrchestrationInstanceCreated
  );
}

function responseId(event: HistoryEvent): number | undefined {
  return event.EventType === EventType.TimerFired ? event.TimerId : event.TaskScheduledId;
}
