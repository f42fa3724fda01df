import * as df from 'durable-functions';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';

/**
 * Reads an instance's status, or undefined when it does not exist. durable-functions 3.x throws a plain Error for a
 * 404 (df-js `DurableClient.getStatus`), recognisable only by its text.
 */
export async function getStatusOrUndefined(
  client: DurableClient,
  instanceId: string,
  options: { showHistory?: boolean; showHistoryOutput?: boolean; showInput?: boolean } = {},
): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId, options);
  } catch (error) {
    if (error instanceof Error && error.message.includes('HTTP 404')) {
      return undefined;
    }
    throw error;
  }
}

/** Statuses in which an instance may be started again under the same id (a failed or terminated run). */
export const restartableStatuses: readonly df.OrchestrationRuntimeStatus[] = [
  df.OrchestrationRuntimeStatus.Failed,
  df.OrchestrationRuntimeStatus.Terminated,
];

/** What a single-instance start did. */
export type StartOutcome =
  { started: true; instanceId: string } | { started: false; instanceId: string; existing: DurableOrchestrationStatus };

/**
 * Starts an orchestration under a fixed instance id unless one exists that is pending, running or completed: the
 * single-instance rule of the orders (one per order id) and the nightly batch (one per date). A failed or
 * terminated instance may be started again when `restartable` includes its status.
 */
export async function startIfAbsent(
  client: DurableClient,
  orchestrator: string,
  instanceId: string,
  input: unknown,
  restartable: readonly df.OrchestrationRuntimeStatus[] = [],
): Promise<StartOutcome> {
  const existing = await getStatusOrUndefined(client, instanceId);
  if (existing !== undefined && !restartable.includes(existing.runtimeStatus)) {
    return { started: false, instanceId, existing };
  }
  try {
    await client.startNew(orchestrator, { instanceId, input });
  } catch (error) {
    // Two copies of one message can pass the check together; with host.json overridableExistingInstanceStates =
    // NonRunningStates the second start is refused, and the instance the first one started is the answer.
    const raced = await getStatusOrUndefined(client, instanceId);
    if (raced !== undefined && raced.runtimeStatus !== existing?.runtimeStatus) {
      return { started: false, instanceId, existing: raced };
    }
    throw error;
  }
  return { started: true, instanceId };
}
