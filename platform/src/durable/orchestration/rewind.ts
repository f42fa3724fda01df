import { EventType, type HistoryEvent } from '../backend/types';
import * as events from '../replay/historyEvents';
import type { EngineDeps } from './engineDeps';
import type { InstanceRun } from './instanceRun';

/**
 * Rewinds a failed execution, as the Azure Storage provider does: the failure that ended it becomes a
 * GenericEvent (ignored by the SDK), the ExecutionCompleted is dropped, the failed activity is scheduled again
 * and a failed sub-orchestration is rewound in turn. Completed work stays in history and is not repeated.
 */
export function applyRewind(run: InstanceRun, rewound: HistoryEvent, deps: EngineDeps): void {
  const at = new Date(deps.clock.now());
  const completedAt = run.history.findIndex((e) => e.EventType === EventType.ExecutionCompleted);
  if (completedAt < 0) {
    return;
  }
  const episodeStart = lastIndexBefore(run.history, completedAt, EventType.OrchestratorStarted);
  const kept = run.history.filter((_, index) => index !== completedAt);
  const rewritten = kept.map((event, index) =>
    index > episodeStart && index < completedAt && isFailure(event) ? toRewoundMarker(event, at) : event,
  );
  const failures = kept.filter((event, index) => index > episodeStart && index < completedAt && isFailure(event));

  run.replaceHistory();
  run.append(...rewritten, events.orchestratorStarted(at), rewound, events.orchestratorCompleted(at));
  for (const failure of failures) {
    retryFailedTask(run, failure, rewound, at);
  }
  run.updateInstance({
    runtimeStatus: 'Running',
    output: undefined,
    completedTime: undefined,
    lastUpdatedTime: at.toISOString(),
  });
  deps.logger.info('Orchestration rewound', {
    instanceId: run.instanceId,
    name: run.started?.Name,
    reason: rewound.Reason,
  });
}

function retryFailedTask(run: InstanceRun, failure: HistoryEvent, rewound: HistoryEvent, at: Date): void {
  const scheduled = run.history.find(
    (e) =>
      e.EventId === failure.TaskScheduledId &&
      (e.EventType === EventType.TaskScheduled || e.EventType === EventType.SubOrchestrationInstanceCreated),
  );
  if (!scheduled) {
    return;
  }
  if (scheduled.EventType === EventType.TaskScheduled) {
    run.activityMessages.push({ instanceId: run.instanceId, executionId: run.executionId, event: scheduled });
  } else if (scheduled.InstanceId) {
    run.orchestrationMessages.push({
      instanceId: scheduled.InstanceId,
      event: { ...rewound, Timestamp: at.toISOString() },
    });
  }
}

function isFailure(event: HistoryEvent): boolean {
  return event.EventType === EventType.TaskFailed || event.EventType === EventType.SubOrchestrationInstanceFailed;
}

function toRewoundMarker(event: HistoryEvent, at: Date): HistoryEvent {
  return {
    EventType: EventType.GenericEvent,
    EventId: -1,
    IsPlayed: false,
    Timestamp: at.toISOString(),
    Data: `Rewound: ${event.Reason ?? 'failure'} (task id ${String(event.TaskScheduledId)})`,
  };
}

function lastIndexBefore(history: readonly HistoryEvent[], before: number, type: number): number {
  for (let i = before - 1; i >= 0; i--) {
    if (history[i]?.EventType === type) {
      return i;
    }
  }
  return -1;
}
