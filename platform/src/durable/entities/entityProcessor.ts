import { randomUUID } from 'node:crypto';
import {
  EventType,
  type InstanceState,
  type OrchestrationCheckpoint,
  type OrchestrationWorkItem,
  type TaskMessage,
} from '../backend/types';
import type { EntityRequest } from '../replay/decisions';
import * as events from '../replay/historyEvents';
import type { EngineDeps } from '../orchestration/engineDeps';
import { fromEntityReturnValue, toEntityTrigger, type EntityBatchResult, type EntityOperation } from './entityBatch';
import { fromEntityInstanceId, toEntityInstanceId, type EntityId } from './entityId';

/** Lock state of an entity, kept in its row's `customStatus` (entities have no custom status of their own). */
interface SchedulerState {
  /** Instance id of the orchestration that holds the lock. */
  lockedBy?: string;
  /** Requests of others that wait for the lock to be released, in arrival order. */
  queue: EntityRequest[];
}

/**
 * Runs the operations waiting for one entity in batches, honouring critical sections: while an orchestration
 * holds the entity's lock, requests from others wait in the entity's queue. Then answers callers, forwards lock
 * requests and the entity's signals, and stores its new state and lock state in the Instances row. The built-in
 * `delete` operation removes the state.
 */
export async function processEntityWorkItem(
  workItem: OrchestrationWorkItem,
  deps: EngineDeps,
): Promise<OrchestrationCheckpoint> {
  const entity = fromEntityInstanceId(workItem.instanceId) as EntityId;
  const scheduler = readScheduler(workItem.instance?.customStatus);
  const pending = [
    ...scheduler.queue,
    ...workItem.messages.flatMap((m) => readRequest(m.message, deps, workItem.instanceId)),
  ];
  scheduler.queue = [];
  const at = new Date(deps.clock.now());
  const replies: TaskMessage[] = [];
  let state = { exists: workItem.instance?.input !== undefined, state: workItem.instance?.input };
  let batch: EntityRequest[] = [];
  const flush = async () => {
    state = await runOperations(entity, state, batch, deps, at, replies);
    batch = [];
  };

  for (let index = 0; index < pending.length; index++) {
    const request = pending[index] as EntityRequest;
    const lockedByOther = scheduler.lockedBy !== undefined && scheduler.lockedBy !== request.parent;
    if (request.release) {
      if (scheduler.lockedBy === request.parent) {
        await flush();
        scheduler.lockedBy = undefined;
        pending.splice(index + 1, 0, ...scheduler.queue);
        scheduler.queue = [];
      } else {
        // The orchestration ended before its lock request got here: drop the request.
        scheduler.queue = scheduler.queue.filter((queued) => !(queued.lockset && queued.id === request.id));
      }
    } else if (lockedByOther) {
      scheduler.queue.push(request);
    } else if (request.lockset) {
      await flush();
      scheduler.lockedBy = request.parent;
      replies.push(grantLock(request, at));
    } else {
      batch.push(request);
    }
  }
  await flush();

  return {
    activityMessages: [],
    orchestrationMessages: replies,
    history: { executionId: '', events: [], replace: false },
    instance: entityRow(workItem, entity, state.exists ? state.state : undefined, scheduler, at),
    consumedMessageIds: workItem.messages.map((m) => m.messageId),
  };
}

/** Runs a run of operations, `delete` included, and returns the entity's state after them. */
async function runOperations(
  entity: EntityId,
  initial: { exists: boolean; state: string | undefined },
  requests: EntityRequest[],
  deps: EngineDeps,
  at: Date,
  replies: TaskMessage[],
): Promise<{ exists: boolean; state: string | undefined }> {
  let state = initial;
  for (const group of splitOnDelete(requests)) {
    if (group.kind === 'delete') {
      state = { exists: false, state: undefined };
      replies.push(...answer([group.request], { entityExists: false, results: [{ isError: false }], signals: [] }, at));
      continue;
    }
    const result = await runBatch(entity, state, group.requests, deps);
    state = { exists: result.entityExists, state: result.entityExists ? result.entityState : undefined };
    replies.push(...answer(group.requests, result, at), ...forwardSignals(result, at));
  }
  return state;
}

/** The lock is taken here: forward the request to the next entity of the set, or tell the orchestration. */
function grantLock(request: EntityRequest, at: Date): TaskMessage {
  const position = request.position ?? 0;
  const next = request.lockset?.[position + 1];
  if (next) {
    const forwarded = { ...request, position: position + 1 };
    return { instanceId: next, event: events.eventRaised(at, 'op', JSON.stringify(forwarded)) };
  }
  return {
    instanceId: request.parent ?? '',
    executionId: request.parentExecution,
    event: events.eventRaised(at, request.id, JSON.stringify({ result: '{}' })),
  };
}

function readScheduler(text: string | undefined): SchedulerState {
  if (!text) {
    return { queue: [] };
  }
  try {
    const parsed = JSON.parse(text) as Partial<SchedulerState>;
    return { lockedBy: parsed.lockedBy, queue: Array.isArray(parsed.queue) ? parsed.queue : [] };
  } catch {
    return { queue: [] };
  }
}

function readRequest(message: TaskMessage, deps: EngineDeps, instanceId: string): EntityRequest[] {
  const event = message.event;
  if (event.EventType !== EventType.EventRaised || event.Name !== 'op' || !event.Input) {
    deps.logger.warn('Entity message ignored', { instanceId, eventType: event.EventType, name: event.Name });
    return [];
  }
  try {
    return [JSON.parse(event.Input) as EntityRequest];
  } catch {
    deps.logger.warn('Entity message ignored', { instanceId, reason: 'the request is not JSON' });
    return [];
  }
}

type RequestGroup = { kind: 'batch'; requests: EntityRequest[] } | { kind: 'delete'; request: EntityRequest };

function splitOnDelete(requests: EntityRequest[]): RequestGroup[] {
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
  state: { exists: boolean; state: string | undefined },
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

function forwardSignals(result: EntityBatchResult, at: Date): TaskMessage[] {
  return result.signals.map((signal) => {
    const request: EntityRequest = {
      id: randomUUID(),
      op: signal.name,
      signal: true,
      ...(signal.input ? { input: signal.input } : {}),
    };
    return {
      instanceId: toEntityInstanceId(signal.target),
      event: events.eventRaised(at, 'op', JSON.stringify(request)),
    };
  });
}

function entityRow(
  workItem: OrchestrationWorkItem,
  entity: EntityId,
  state: string | undefined,
  scheduler: SchedulerState,
  at: Date,
): InstanceState {
  const previous = workItem.instance;
  const locked = scheduler.lockedBy !== undefined || scheduler.queue.length > 0;
  return {
    instanceId: workItem.instanceId,
    name: entity.name,
    executionId: previous?.executionId ?? '',
    runtimeStatus: 'Running',
    ...(state === undefined ? {} : { input: state }),
    ...(locked ? { customStatus: JSON.stringify(scheduler) } : {}),
    createdTime: previous?.createdTime ?? at.toISOString(),
    lastUpdatedTime: at.toISOString(),
    generation: 0,
  };
}
