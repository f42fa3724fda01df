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
import { fromEntityInstanceId, type EntityId } from './entityId';
import { runOperations, type EntityStateValue } from './entityOperations';
import { receiveInOrder } from './messageSorter';
import {
  applyRelease,
  forgetOldReleases,
  fromSchedulerText,
  isKnownRequest,
  mayDequeue,
  toSchedulerText,
  wasReleased,
  type SchedulerState,
} from './schedulerState';

/** Limits of one entity work item, from host.json `extensions.durableTask`. */
export interface EntityProcessingOptions {
  /** `maxEntityOperationBatchSize`: most operations one entity function invocation receives. */
  readonly maxBatchSize: number;
}

/** `EventRaised.Name` of the message an entity sends itself to go on with a queue it left for the next batch. */
export const continueEventName = 'continue';

/** What one work item does: a batch of operations, then at most one lock grant (DTFx `Work`). */
interface EntityWork {
  operations: EntityRequest[];
  lockRequest?: EntityRequest;
  /** The batch is full and requests that may run are left: wake the entity again. */
  continueAfter: boolean;
}

/**
 * Runs one batch of an entity as DTFx's TaskEntityDispatcher does: the work item's messages join the entity's
 * queue (releases applied, the lock holder's requests first), then up to `maxBatchSize` operations run in one
 * entity function invocation, stopping at a lock request, which is granted after them. Requests left over stay
 * queued in the Instances row, and a `continue` message to itself brings the next batch.
 *
 * The entity's state, its answers and its scheduler state (queue, lock, message sorter) are written in one
 * checkpoint, so a request delivered again after a crash between that write and the deletion of its message is
 * recognised by the sorter as already delivered, and neither applied nor answered twice.
 */
export async function processEntityWorkItem(
  workItem: OrchestrationWorkItem,
  deps: EngineDeps,
  options: EntityProcessingOptions,
): Promise<OrchestrationCheckpoint> {
  const entity = fromEntityInstanceId(workItem.instanceId) as EntityId;
  const scheduler = fromSchedulerText(workItem.instance?.customStatus);
  const now = deps.clock.now();
  const at = new Date(now);
  forgetOldReleases(scheduler, now);
  receive(scheduler, workItem, deps, now);

  const work = determineWork(scheduler, options.maxBatchSize);
  const replies: TaskMessage[] = [];
  const initial: EntityStateValue = { exists: workItem.instance?.input !== undefined, state: workItem.instance?.input };
  const outbox = { messages: replies, sorter: (scheduler.sorter ??= {}) };
  const state = await runOperations(entity, initial, work.operations, deps, at, outbox);
  if (work.lockRequest) {
    scheduler.lockedBy = work.lockRequest.parent;
    scheduler.lockRequestId = work.lockRequest.id;
    replies.push(grantLock(work.lockRequest, at));
  }
  if (work.continueAfter) {
    replies.push({ instanceId: workItem.instanceId, event: events.eventRaised(at, continueEventName, undefined) });
  }
  deps.logger.debug('Entity batch processed', {
    instanceId: workItem.instanceId,
    operations: work.operations.length,
    queued: scheduler.queue.length,
    lockedBy: scheduler.lockedBy,
  });

  return {
    activityMessages: [],
    orchestrationMessages: replies,
    history: { executionId: '', events: [], replace: false },
    instance: entityRow(workItem, entity, state.exists ? state.state : undefined, scheduler, at),
    consumedMessageIds: workItem.messages.map((m) => m.messageId),
  };
}

/**
 * Takes the work item's messages in arrival order: releases apply at once, requests pass the message sorter
 * (which drops those already delivered and holds back those whose predecessor has not arrived) and join the
 * queue, and those of the lock holder go to its front (DTFx `DetermineWork`). A lock request whose orchestration
 * already released it, or one the entity already has, is dropped.
 */
function receive(scheduler: SchedulerState, workItem: OrchestrationWorkItem, deps: EngineDeps, now: number): void {
  const fromHolder: EntityRequest[] = [];
  const sorter = (scheduler.sorter ??= {});
  for (const { message } of workItem.messages) {
    const request = readRequest(message, deps, workItem.instanceId);
    if (!request) {
      continue;
    }
    if (request.release) {
      const outcome = applyRelease(scheduler, request, now);
      deps.logger.debug('Entity lock release received', {
        instanceId: workItem.instanceId,
        from: request.parent,
        outcome,
      });
      continue;
    }
    const delivered = receiveInOrder(sorter, request);
    if (!delivered.includes(request)) {
      const buffered = sorter.receivedFromInstance?.[request.parent ?? '']?.buffered ?? [];
      deps.logger.debug('Entity request held back by the message sorter', {
        instanceId: workItem.instanceId,
        from: request.parent,
        requestId: request.id,
        reason: buffered.includes(request) ? 'an earlier request has not arrived' : 'already delivered',
      });
    }
    for (const next of delivered) {
      admit(scheduler, next, fromHolder, deps, workItem.instanceId);
    }
  }
  scheduler.queue = [...fromHolder, ...scheduler.queue];
}

/** Queues a delivered request, unless it was released or is already here (a repeated delivery). */
function admit(
  scheduler: SchedulerState,
  request: EntityRequest,
  fromHolder: EntityRequest[],
  deps: EngineDeps,
  instanceId: string,
): void {
  if (
    wasReleased(scheduler, request) ||
    isKnownRequest(scheduler, request) ||
    fromHolder.some((held) => held.id === request.id)
  ) {
    deps.logger.debug('Entity request dropped: released or already received', {
      instanceId,
      from: request.parent,
      requestId: request.id,
    });
  } else if (scheduler.lockedBy !== undefined && scheduler.lockedBy === request.parent) {
    fromHolder.push(request);
  } else {
    scheduler.queue.push(request);
  }
}

/** Dequeues what may run now: operations up to the batch size, stopping after a lock request. */
function determineWork(scheduler: SchedulerState, maxBatchSize: number): EntityWork {
  const work: EntityWork = { operations: [], continueAfter: false };
  while (mayDequeue(scheduler)) {
    if (work.operations.length >= maxBatchSize) {
      work.continueAfter = true;
      break;
    }
    const request = scheduler.queue.shift() as EntityRequest;
    if (request.lockset) {
      work.lockRequest = request;
      break;
    }
    work.operations.push(request);
  }
  return work;
}

/**
 * The lock is taken here: forward the request to the next entity of the set, or tell the orchestration. A forwarded
 * request is not labelled again: sorters let forwarded requests through unsorted, and DTFx's labelling of them
 * (`SendLockRequestMessage`) would make this entity's later signals to that one wait for a label never recorded.
 * Repeats of it are dropped by the lock request id instead (`isKnownRequest`, `wasReleased`).
 */
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

/** The request a message carries; undefined for the `continue` wake-up and for messages that are not requests. */
function readRequest(message: TaskMessage, deps: EngineDeps, instanceId: string): EntityRequest | undefined {
  const event = message.event;
  if (event.EventType === EventType.EventRaised && event.Name === continueEventName) {
    return undefined;
  }
  if (event.EventType !== EventType.EventRaised || event.Name !== 'op' || !event.Input) {
    deps.logger.warn('Entity message ignored', { instanceId, eventType: event.EventType, name: event.Name });
    return undefined;
  }
  try {
    return JSON.parse(event.Input) as EntityRequest;
  } catch {
    deps.logger.warn('Entity message ignored', { instanceId, reason: 'the request is not JSON' });
    return undefined;
  }
}

function entityRow(
  workItem: OrchestrationWorkItem,
  entity: EntityId,
  state: string | undefined,
  scheduler: SchedulerState,
  at: Date,
): InstanceState {
  const previous = workItem.instance;
  const schedulerText = toSchedulerText(scheduler);
  return {
    instanceId: workItem.instanceId,
    name: entity.name,
    executionId: previous?.executionId ?? '',
    runtimeStatus: 'Running',
    ...(state === undefined ? {} : { input: state }),
    ...(schedulerText === undefined ? {} : { customStatus: schedulerText }),
    createdTime: previous?.createdTime ?? at.toISOString(),
    lastUpdatedTime: at.toISOString(),
    generation: 0,
  };
}
