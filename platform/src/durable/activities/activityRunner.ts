import type { ActivityWorkItem, TaskMessage } from '../backend/types';
import type { HttpRequestAction } from '../replay/actions';
import * as events from '../replay/historyEvents';
import { httpActivityName } from '../replay/taskLedger';
import type { EngineDeps } from '../orchestration/engineDeps';
import {
  activityFailureDetails,
  activityFailureReason,
  fromActivityReturnValue,
  toActivityTrigger,
} from './activityConverters';
import { runHttpActivity } from './httpActivity';

/** Runs one activity work item and returns the response message (TaskCompleted or TaskFailed) for its orchestration. */
export async function runActivity(workItem: ActivityWorkItem, deps: EngineDeps): Promise<TaskMessage> {
  const scheduled = workItem.message.event;
  const name = scheduled.Name ?? '';
  const taskId = scheduled.EventId;
  const reply = (event: TaskMessage['event']): TaskMessage => ({
    instanceId: workItem.message.instanceId,
    executionId: workItem.message.executionId,
    event,
  });

  if (name === httpActivityName) {
    return reply(await runHttp(scheduled.Input, taskId, deps));
  }
  const functionName = deps.findFunction('activityTrigger', name);
  if (!functionName) {
    const message = `The function '${name}' doesn't exist, is disabled, or is not an activity function.`;
    return reply(events.taskFailed(now(deps), taskId, activityFailureReason(name, message), message));
  }
  const outcome = await deps.invoke(
    functionName,
    toActivityTrigger(scheduled.Input),
    `Activity of orchestration '${workItem.message.instanceId}' (task id ${taskId})`,
  );
  if (outcome.succeeded) {
    return reply(events.taskCompleted(now(deps), taskId, fromActivityReturnValue(outcome.returnValue)));
  }
  const message = outcome.error?.message ?? 'The activity failed without a message.';
  return reply(
    events.taskFailed(now(deps), taskId, activityFailureReason(name, message), activityFailureDetails(outcome.error)),
  );
}

async function runHttp(input: string | undefined, taskId: number, deps: EngineDeps) {
  try {
    const request = JSON.parse(input ?? '{}') as HttpRequestAction;
    const response = await runHttpActivity(request);
    return events.taskCompleted(now(deps), taskId, JSON.stringify(response));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return events.taskFailed(now(deps), taskId, activityFailureReason(httpActivityName, message), message);
  }
}

function now(deps: EngineDeps): Date {
  return new Date(deps.clock.now());
}
