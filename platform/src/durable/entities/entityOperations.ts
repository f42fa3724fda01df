import { randomUUID } from 'node:crypto';
import type { TaskMessage } from '../backend/types';
import type { EntityRequest } from '../replay/decisions';
import * as events from '../replay/historyEvents';
import type { EngineDeps } from '../orchestration/engineDeps';
import { fromEntityReturnValue, toEntityTrigger, type EntityBatchResult, type EntityOperation } from './entityBatch';
import { toEntityInstanceId, type EntityId } from './entityId';
import { labelOutgoing, type MessageSorterState } from './messageSorter';

/** Whether the entity exists and its state as JSON text. */
export interface EntityStateValue {
  exists: boolean;
  state: string | undefined;
}

/** Where a batch's messages go: answers to callers, and the entity's own signals, labelled by its sorter. */
export interface EntityOutbox {
  readonly messages: TaskMessage[];
  readonly sorter: MessageSorterState;
}

/**
 * Runs one batch of operations in order, the built-in `delete` included, and returns the entity's state after
 * them. Answers to callers and the entity's own signals are added to the outbox.
 */
export async function runOperations(
  entity: EntityId,
  initial: EntityStateValue,
  requests: readonly EntityRequest[],
  deps: EngineDeps,
  at: Date,
  outbox: EntityOutbox,
): Promise<EntityStateValue> {
  const replies = outbox.messages;
  let state = initial;
  for (const group of splitOnDelete(requests)) {
    if (group.kind === 'delete') {
      state = { exists: false, state: undefined };
      replies.push(...answer([group.request], { entityExists: false, results: [{ isError: false }], signals: [] }, at));
      continue;
    }
    const result = await runBatch(entity, state, group.requests, deps);
    state = { exists: result.entityExists, state: result.entityExists ? result.entityState : undefined };
    replies.push(...answer(group.requests, result, at), ...forwardSignals(result, entity, outbox.sorter, at));
  }
  return state;
}

type RequestGroup = { kind: 'batch'; requests: EntityRequest[] } | { kind: 'delete'; request: EntityRequest };

function splitOnDelete(requests: readonly EntityRequest[]): RequestGroup[] {
  const groups: RequestGroup[] = [];
  for (const request of requests) {
    const last = groups[groups.length - 1];
    if (request.op === 'delete') {
      groups.push({ kind: 'delete', request });
    } else if (last?.kind === 'batch') {
      last.requests.push(request);
    } else {
      groups.push({ kind: 'batch', requests: [request] });
    }
  }
  return groups;
}

async function runBatch(
  entity: EntityId,
  state: EntityStateValue,
  requests: EntityRequest[],
  deps: EngineDeps,
): Promise<EntityBatchResult> {
  const failAll = (message: string): EntityBatchResult => ({
    entityExists: state.exists,
    entityState: state.state,
    results: requests.map(() => ({ isError: true, result: JSON.stringify(message) })),
    signals: [],
  });
  const functionName = deps.findFunction('entityTrigger', entity.name);
  if (!functionName) {
    return failAll(`The function '${entity.name}' doesn't exist, is disabled, or is not an entity function.`);
  }
  const batch: EntityOperation[] = requests.map((r) => ({
    name: r.op,
    input: r.input ?? null,
    isSignal: r.signal === true,
  }));
  const outcome = await deps.invoke(
    functionName,
    toEntityTrigger(entity, state, batch),
    `Entity '@${entity.name}@${entity.key}' batch`,
  );
  const result = outcome.succeeded ? fromEntityReturnValue(outcome.returnValue) : undefined;
  return result ?? failAll(outcome.error?.message ?? 'The entity function returned no batch result.');
}

function answer(requests: EntityRequest[], result: EntityBatchResult, at: Date): TaskMessage[] {
  const replies: TaskMessage[] = [];
  requests.forEach((request, index) => {
    const outcome = result.results[index];
    if (request.signal || !request.parent) {
      return;
    }
    // ext ResponseMessage: `result` is JSON text; `exceptionType` marks a failed operation.
    const response = { result: outcome?.result, ...(outcome?.isError ? { exceptionType: 'Error' } : {}) };
    replies.push({
      instanceId: request.parent,
      executionId: request.parentExecution,
      event: events.eventRaised(at, request.id, JSON.stringify(response)),
    });
  });
  return replies;
}

/**
 * The entity's signals, sent as itself with no execution (its stream outlives batches) and labelled for the
 * target's message sorter, as DTFx `TaskEntityDispatcher.SendSignalMessage` does.
 */
function forwardSignals(
  result: EntityBatchResult,
  entity: EntityId,
  sorter: MessageSorterState,
  at: Date,
): TaskMessage[] {
  return result.signals.map((signal) => {
    const target = toEntityInstanceId(signal.target);
    const request: EntityRequest = {
      id: randomUUID(),
      op: signal.name,
      signal: true,
      ...(signal.input ? { input: signal.input } : {}),
      parent: toEntityInstanceId(entity),
    };
    const labelled = labelOutgoing(sorter, request, target, at.getTime());
    return { instanceId: target, event: events.eventRaised(at, 'op', JSON.stringify(labelled)) };
  });
}
