import type { InstanceState, RuntimeStatus } from '../types';
import { runtimeStatuses } from './enums';
import { MalformedTaskHubDataError } from './errors';
import type { TableRow } from './historyEntity';
import { fromPartitionKey, toPartitionKey } from './keySanitation';

/**
 * An Instances table row (PK = sanitized instance id, RK = ""), with the provider's columns. `CustomStatus`
 * holds the string "null" when unset, as DTFx writes it (Azure/durabletask#477).
 */
export function toInstanceEntity(state: InstanceState, taskHubName: string): TableRow {
  const row: TableRow = {
    partitionKey: toPartitionKey(state.instanceId),
    rowKey: '',
    Name: state.name,
    Version: state.version ?? '',
    Input: state.input,
    Output: state.output,
    CustomStatus: state.customStatus ?? 'null',
    CreatedTime: toDate(state.createdTime),
    LastUpdatedTime: toDate(state.lastUpdatedTime),
    CompletedTime: toDate(state.completedTime),
    RuntimeStatus: state.runtimeStatus,
    ScheduledStartTime: toDate(state.scheduledStartTime),
    Generation: state.generation,
    ExecutionId: state.executionId,
    ParentInstanceId: state.parentInstanceId,
    TaskHubName: taskHubName,
  };
  for (const key of Object.keys(row)) {
    if (row[key] === undefined) {
      delete row[key];
    }
  }
  return row;
}

/** Reads an Instances table row back into an instance state. */
export function fromInstanceEntity(row: TableRow): InstanceState {
  const runtimeStatus = row.RuntimeStatus;
  if (typeof runtimeStatus !== 'string' || !runtimeStatuses.includes(runtimeStatus as RuntimeStatus)) {
    throw new MalformedTaskHubDataError(
      `Instances row has RuntimeStatus ${JSON.stringify(runtimeStatus)}; expected one of ` +
        `${runtimeStatuses.join(', ')}.`,
      { partitionKey: row.partitionKey, rowKey: row.rowKey },
    );
  }
  const customStatus = optionalString(row.CustomStatus);
  const state: InstanceState = {
    instanceId: fromPartitionKey(row.partitionKey),
    name: optionalString(row.Name) ?? '',
    version: optionalString(row.Version) || undefined,
    executionId: optionalString(row.ExecutionId) ?? '',
    runtimeStatus: runtimeStatus as RuntimeStatus,
    input: optionalString(row.Input),
    output: optionalString(row.Output),
    customStatus: customStatus === 'null' ? undefined : customStatus,
    createdTime: toIso(row.CreatedTime) ?? new Date(0).toISOString(),
    lastUpdatedTime: toIso(row.LastUpdatedTime) ?? new Date(0).toISOString(),
    completedTime: toIso(row.CompletedTime),
    scheduledStartTime: toIso(row.ScheduledStartTime),
    parentInstanceId: optionalString(row.ParentInstanceId),
    generation: Number(row.Generation ?? 0),
  };
  for (const key of Object.keys(state) as (keyof InstanceState)[]) {
    if (state[key] === undefined) {
      delete state[key];
    }
  }
  return state;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function toDate(iso: string | undefined): Date | undefined {
  return iso === undefined ? undefined : new Date(iso);
}

function toIso(value: unknown): string | undefined {
  if (value instanceof Date) {
    return value.toISOString();
  }
  return typeof value === 'string' && value ? new Date(value).toISOString() : undefined;
}
