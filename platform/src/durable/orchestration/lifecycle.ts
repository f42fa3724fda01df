import { EventType, type HistoryEvent, type InstanceState, type RuntimeStatus } from '../backend/types';
import type { EntityRequest } from '../replay/decisions';
import * as events from '../replay/historyEvents';
import { lockEventName, releaseEventName } from '../replay/taskLedger';
import type { EngineDeps } from './engineDeps';
import type { InstanceRun } from './instanceRun';
import { applyRewind } from './rewind';

/**
 * Begins a new execution of the instance: fresh history (replacing any earlier execution) and a Running row.
 * The episode that runs the ExecutionStarted event is left to the caller (`run.pendingStart`).
 */
export function startExecution(run: InstanceRun, start: { event: HistoryEvent; at: Date; generation: number }): void {
  const { event, at } = start;
  const previous = run.instance;
  const keepCreatedTime = previous && (start.generation > 0 || previous.runtimeStatus === 'Pending');
  run.replaceHistory();
  run.pendingStart = event;
  const instance: InstanceState = {
    instanceId: run.instanceId,
    name: event.Name ?? '',
    ...(event.Version ? { version: event.Version } : {}),
    executionId: event.OrchestrationInstance?.ExecutionId ?? '',
    runtimeStatus: 'Running',
    input: event.Input,
    createdTime: keepCreatedTime ? previous.createdTime : at.toISOString(),
    lastUpdatedTime: at.toISOString(),
    ...(event.ParentInstance ? { parentInstanceId: event.ParentInstance.OrchestrationInstance.InstanceId } : {}),
    generation: start.generation,
  };
  run.setInstance(instance);
}

/** How an execution ended. `reason` and `details` go to the parent of a failed or terminated child. */
export interface ExecutionEnd {
  status: Extract<RuntimeStatus, 'Completed' | 'Failed' | 'Terminated'>;
  /** JSON text for the row's `output` (result, failure message or termination reason). */
  output: string;
  reason?: string;
  details?: string;
}

/** Records the end of an execution on the row, tells the parent, and logs it with its duration. */
export function completeExecution(run: InstanceRun, deps: EngineDeps, at: Date, end: ExecutionEnd): void {
  run.updateInstance({
    runtimeStatus: end.status,
    output: end.output,
    lastUpdatedTime: at.toISOString(),
    completedTime: at.toISOString(),
  });
  notifyParent(run, at, end);
  releaseHeldLocks(run, at);

  const createdTime = run.instance ? Date.parse(run.instance.createdTime) : at.getTime();
  const fields = {
    instanceId: run.instanceId,
    name: run.started?.Name,
    durationMs: at.getTime() - createdTime,
    status: end.status,
  };
  if (end.status === 'Failed') {
    deps.logger.error('Orchestration failed', { ...fields, reason: end.reason });
  } else {
    deps.logger.info(end.status === 'Completed' ? 'Orchestration completed' : 'Orchestration terminated', fields);
  }
}

function notifyParent(run: InstanceRun, at: Date, end: ExecutionEnd): void {
  const parent = run.parent;
  if (!parent) {
    return;
  }
  const event =
    end.status === 'Completed'
      ? events.subOrchestrationCompleted(at, parent.TaskScheduleId, end.output)
      : events.subOrchestrationFailed(
          at,
          parent.TaskScheduleId,
          end.reason ?? `Sub-orchestration '${run.instanceId}' ended as ${end.status}.`,
          end.details ?? '',
        );
  run.orchestrationMessages.push({
    instanceId: parent.OrchestrationInstance.InstanceId,
    executionId: parent.OrchestrationInstance.ExecutionId,
    event,
  });
}

/** Applies terminate, suspend or resume to a running instance without invoking the orchestrator. */
export function applyLifecycle(run: InstanceRun, event: HistoryEvent, deps: EngineDeps): void {
  const at = new Date(deps.clock.now());
  const reason = event.Reason ?? event.Input ?? '';
  switch (event.EventType) {
    case EventType.ExecutionTerminated:
      run.append(
        events.orchestratorStarted(at),
        event,
        events.executionCompleted(at, 'Terminated', JSON.stringify(reason)),
        events.orchestratorCompleted(at),
      );
      completeExecution(run, deps, at, {
        status: 'Terminated',
        output: JSON.stringify(reason),
        reason: `Sub-orchestration '${run.instanceId}' was terminated: ${reason}`,
      });
      break;
    case EventType.ExecutionSuspended:
    case EventType.ExecutionResumed: {
      const suspended = event.EventType === EventType.ExecutionSuspended;
      if ((run.status === 'Suspended') === suspended) {
        return;
      }
      run.append(events.orchestratorStarted(at), event, events.orchestratorCompleted(at));
      run.updateInstance({
        runtimeStatus: suspended ? 'Suspended' : 'Running',
        output: JSON.stringify(reason),
        lastUpdatedTime: at.toISOString(),
      });
      deps.logger.info(suspended ? 'Orchestration suspended' : 'Orchestration resumed', {
        instanceId: run.instanceId,
        name: run.started?.Name,
        reason,
      });
      break;
    }
    case EventType.ExecutionRewound:
      applyRewind(run, event, deps);
      break;
    default:
      break;
  }
}

/**
 * An execution that ends (or continues as new) inside a critical section must not leave its entities locked:
 * every lock request without a release gets one release per entity of its set, granted or still on its way, as
 * DTFx's `OrchestrationEntityContext.EmitLockReleaseMessages` does from the moment the lock is requested.
 */
export function releaseHeldLocks(run: InstanceRun, at: Date): void {
  const requests = new Map<string, EntityRequest>();
  for (const event of run.history) {
    if (event.EventType !== EventType.EventSent || (event.Name !== lockEventName && event.Name !== releaseEventName)) {
      continue;
    }
    const request = JSON.parse(event.Input ?? '{}') as EntityRequest;
    if (event.Name === lockEventName) {
      requests.set(request.id, request);
    } else {
      requests.delete(request.id);
    }
  }
  for (const request of requests.values()) {
    const release: EntityRequest = { id: request.id, op: releaseEventName, release: true, parent: run.instanceId };
    for (const entity of request.lockset ?? []) {
      run.orchestrationMessages.push({
        instanceId: entity,
        event: events.eventRaised(at, 'op', JSON.stringify(release)),
      });
    }
  }
}
