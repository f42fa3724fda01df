import { EventType, type FailureDetails, type HistoryEvent, type InstanceState } from '../backend/types';
import { actionList, continueAsNewAction, type OrchestratorState } from '../replay/actions';
import { fromSentEvents } from '../entities/messageSorter';
import { decide } from '../replay/decisions';
import { NonDeterminismError, OrchestratorResultError } from '../replay/errors';
import * as events from '../replay/historyEvents';
import { decodeActionInput, fromJsonText, toJsonText } from '../replay/jsonText';
import { fromOrchestratorInvocation, toOrchestrationTrigger } from '../replay/orchestratorPayload';
import { TaskLedger } from '../replay/taskLedger';
import type { EngineDeps } from './engineDeps';
import type { InstanceRun } from './instanceRun';
import { completeExecution, releaseHeldLocks, startExecution } from './lifecycle';

/**
 * Runs one episode: appends OrchestratorStarted and the new events, invokes the orchestrator with the whole
 * history, turns its actions into decisions, and completes, fails or continues the execution as it asks.
 */
export async function runEpisode(run: InstanceRun, newEvents: HistoryEvent[], deps: EngineDeps): Promise<void> {
  const at = episodeTime(run, deps);
  const episodeStart = run.history.length;
  run.append(events.orchestratorStarted(at), ...newEvents);
  const started = run.started as HistoryEvent;
  const name = started.Name ?? '';
  const functionName = deps.findFunction('orchestrationTrigger', name);
  if (!functionName) {
    failExecution(
      run,
      deps,
      at,
      `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`,
    );
    return;
  }

  const trigger = toOrchestrationTrigger({
    instanceId: run.instanceId,
    parentInstanceId: run.parent?.OrchestrationInstance.InstanceId,
    input: fromJsonText(started.Input),
    history: run.history,
    episodeStart,
    httpPollingDelayMs: deps.httpPollingDelayMs,
    replaySchema: deps.replaySchema,
  });
  const outcome = await deps.invoke(functionName, trigger, `Orchestration '${run.instanceId}' episode`);
  let result: ReturnType<typeof fromOrchestratorInvocation>;
  try {
    result = fromOrchestratorInvocation({ instanceId: run.instanceId, functionName }, outcome);
  } catch (error) {
    if (error instanceof OrchestratorResultError) {
      failExecution(run, deps, at, error.message);
      return;
    }
    throw error;
  }
  if (result.kind === 'failed') {
    setCustomStatus(run, result.state, at);
    failExecution(run, deps, at, result.message, result.stack);
    return;
  }
  applyState(run, result.state, at, deps);
}

function applyState(run: InstanceRun, state: OrchestratorState, at: Date, deps: EngineDeps): void {
  const actions = actionList(state);
  let ledger: TaskLedger;
  try {
    ledger = TaskLedger.build(run.instanceId, run.history, actions, deps.httpPollingDelayMs);
  } catch (error) {
    if (error instanceof NonDeterminismError) {
      deps.logger.error('Non-deterministic orchestration detected', {
        instanceId: run.instanceId,
        error: error.message,
      });
      failExecution(run, deps, at, error.message);
      return;
    }
    throw error;
  }
  const decisions = decide(ledger, {
    instanceId: run.instanceId,
    executionId: run.executionId ?? '',
    orchestratorName: run.started?.Name ?? '',
    now: at,
    entitySorter: fromSentEvents(run.history),
  });
  run.append(...decisions.events);
  run.activityMessages.push(...decisions.activityMessages);
  run.orchestrationMessages.push(...decisions.orchestrationMessages);
  setCustomStatus(run, state, at);

  if (!state.isDone) {
    run.append(events.orchestratorCompleted(at));
    run.updateInstance({ runtimeStatus: 'Running', lastUpdatedTime: at.toISOString() });
    return;
  }
  const continueAsNew = continueAsNewAction(actions);
  if (continueAsNew) {
    run.append(events.orchestratorCompleted(at));
    releaseHeldLocks(run, at);
    continueExecution(run, decodeActionInput(continueAsNew.input), at, deps);
    return;
  }
  run.append(events.executionCompleted(at, 'Completed', toJsonText(state.output)), events.orchestratorCompleted(at));
  completeExecution(run, deps, at, { status: 'Completed', output: toJsonText(state.output) });
}

/** Continue-as-new: the same instance starts a new execution with fresh history; pending messages carry over. */
function continueExecution(run: InstanceRun, input: unknown, at: Date, deps: EngineDeps): void {
  const started = run.started as HistoryEvent;
  const instance = run.instance as InstanceState;
  deps.logger.info('Orchestration continued as new', {
    instanceId: run.instanceId,
    name: started.Name,
    generation: instance.generation + 1,
  });
  startExecution(run, {
    event: events.executionStarted(at, {
      name: started.Name ?? '',
      version: started.Version,
      input: toJsonText(input),
      instanceId: run.instanceId,
      executionId: newExecutionId(),
      parent: started.ParentInstance,
    }),
    at,
    generation: instance.generation + 1,
  });
}

/** Fails the execution with `message`; the parent (if any) gets SubOrchestrationInstanceFailed. */
export function failExecution(run: InstanceRun, deps: EngineDeps, at: Date, message: string, stack?: string): void {
  const name = run.started?.Name ?? '';
  const reason = `Orchestrator function '${name}' failed: ${message}`;
  const details: FailureDetails = { ErrorType: 'OrchestrationFailure', ErrorMessage: message, StackTrace: stack };
  run.append(
    events.executionCompleted(at, 'Failed', JSON.stringify(reason), details),
    events.orchestratorCompleted(at),
  );
  completeExecution(run, deps, at, {
    status: 'Failed',
    output: JSON.stringify(reason),
    reason,
    details: stack ?? message,
  });
}

function setCustomStatus(run: InstanceRun, state: OrchestratorState | undefined, at: Date): void {
  if (state && state.customStatus !== undefined) {
    run.updateInstance({ customStatus: JSON.stringify(state.customStatus), lastUpdatedTime: at.toISOString() });
  }
}

/** The episode's time, never before the previous episode's (the SDK only moves `currentUtcDateTime` forward). */
function episodeTime(run: InstanceRun, deps: EngineDeps): Date {
  const now = deps.clock.now();
  let last = 0;
  for (const event of run.history) {
    if (event.EventType === EventType.OrchestratorStarted) {
      last = Math.max(last, Date.parse(event.Timestamp));
    }
  }
  return new Date(Math.max(now, last));
}

/** A new execution id: a GUID in `N` format, as DTFx makes them. */
export function newExecutionId(): string {
  return crypto.randomUUID().replace(/-/g, '');
}
