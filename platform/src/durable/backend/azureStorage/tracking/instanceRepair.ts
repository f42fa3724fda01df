import { EventType, terminalStatuses, type HistoryEvent, type InstanceState } from '../../types';

/**
 * The instance row as the history says it ended, when the row still shows a running instance: the host crashed
 * after checkpointing the last episode's history but before upserting the row, and no later episode will write
 * it. DTFx repairs the row the same way (`UpdateInstanceStatusForCompletedOrchestrationAsync`). Undefined when
 * the row needs no repair.
 */
export function repairedInstance(
  history: readonly HistoryEvent[],
  instance: InstanceState | undefined,
  executionId: string,
): InstanceState | undefined {
  const completed = history.findLast((e) => e.EventType === EventType.ExecutionCompleted);
  const status = completed?.OrchestrationStatus;
  if (!completed || !status || !terminalStatuses.includes(status) || !instance) {
    return undefined;
  }
  if (terminalStatuses.includes(instance.runtimeStatus) || instance.executionId !== executionId) {
    return undefined;
  }
  const repaired: InstanceState = {
    ...instance,
    runtimeStatus: status,
    lastUpdatedTime: completed.Timestamp,
    completedTime: completed.Timestamp,
  };
  if (completed.Result !== undefined) {
    repaired.output = completed.Result;
  }
  return repaired;
}
