import { createHash, randomUUID } from 'node:crypto';
import { PlatformBugError } from '../../errors';
import type { HistoryEvent, TaskMessage } from '../backend/types';
import { labelOutgoing, type MessageSorterState } from '../entities/messageSorter';
import { ActionType, entitySchedulerId, type HttpRequestAction, type SdkAction } from './actions';
import * as events from './historyEvents';
import { decodeActionInput, toJsonText } from './jsonText';
import {
  httpActivityName,
  lockEventName,
  releaseEventName,
  type RetryProgress,
  type Slot,
  type TaskLedger,
} from './taskLedger';

/** Who decides: the instance, its execution and the episode's time. */
export interface DecisionContext {
  readonly instanceId: string;
  readonly executionId: string;
  readonly orchestratorName: string;
  readonly now: Date;
  /** Id generator for entity request ids; injectable so engine tests are deterministic. */
  readonly newId?: () => string;
  /**
   * Send clocks of the entity requests this execution sent so far; when given, calls, signals and lock requests
   * are labelled after them for the entities' message sorters (ext `DurableOrchestrationContext.SendEntityMessage`).
   */
  readonly entitySorter?: MessageSorterState;
}

/** What an episode adds: decision events for the history and the messages they send. */
export interface Decisions {
  readonly events: HistoryEvent[];
  readonly activityMessages: TaskMessage[];
  readonly orchestrationMessages: TaskMessage[];
}

/**
 * Turns the ledger's due bookkeeping (retry timers, re-attempts, HTTP polls) and the code's new actions into
 * decision events and messages, in id order as DTFx records them (reference durable.md §3, §7, §11).
 */
export function decide(ledger: TaskLedger, context: DecisionContext): Decisions {
  const decisions: Decisions = { events: [], activityMessages: [], orchestrationMessages: [] };
  for (const slot of ledger.dueBookkeeping()) {
    decideBookkeeping(slot, context, decisions);
    slot.decided = true;
  }
  for (const { id, slot } of ledger.takeNewActions()) {
    if (slot.role.kind === 'action') {
      scheduleAction(id, slot.role.action, context, decisions);
    }
    slot.decided = true;
  }
  return decisions;
}

function decideBookkeeping(slot: Slot, context: DecisionContext, decisions: Decisions): void {
  const role = slot.role;
  switch (role.kind) {
    case 'retryTimer': {
      const delayMs = role.timedOut ? 0 : retryDelayMs(role.retry, role.lastAttempt);
      addTimer(slot.id, new Date(context.now.getTime() + delayMs), context, decisions);
      break;
    }
    case 'retryAttempt':
      if (role.timedOut) {
        skipAttempt(slot.id, role.retry, context, decisions);
      } else {
        scheduleAction(slot.id, role.retry.action, context, decisions);
      }
      break;
    case 'pollTimer':
      addTimer(slot.id, new Date(context.now.getTime() + role.poll.delayMs), context, decisions);
      break;
    case 'pollCall': {
      const request: HttpRequestAction = { ...(role.poll.action.httpRequest as HttpRequestAction), method: 'GET' };
      scheduleHttp(slot.id, { ...request, uri: role.poll.location, content: undefined }, context, decisions);
      break;
    }
    case 'action':
      break;
  }
}

/**
 * Back-off before the next attempt: `first × coefficient^(attempt−1)`, capped by the maximum interval. After the
 * last attempt the timer fires at once (DTFx's back-compat timer the SDK waits for).
 */
export function retryDelayMs(retry: RetryProgress, lastAttempt: boolean): number {
  const options = retry.action.retryOptions;
  if (lastAttempt || !options) {
    return 0;
  }
  const failedAttempt = retry.attempt - 1;
  const delay = options.firstRetryIntervalInMilliseconds * (options.backoffCoefficient ?? 1) ** (failedAttempt - 1);
  return Math.min(delay, options.maxRetryIntervalInMilliseconds ?? Number.POSITIVE_INFINITY);
}

/**
 * An attempt after the retry timeout: DTFx stops retrying and fails the task, but the SDK fails it only after
 * `maxNumberOfAttempts` (it never reads the timeout), and waits forever when no timer follows a failure
 * (Azure/azure-functions-durable-js#629). So each remaining attempt is recorded without running, and fails at once
 * with the last real failure, which the SDK finally throws, as DTFx rethrows the last exception.
 */
function skipAttempt(id: number, retry: RetryProgress, context: DecisionContext, decisions: Decisions): void {
  const failure = retry.lastFailure;
  if (!failure) {
    throw new PlatformBugError(
      `Instance '${context.instanceId}': task ${id} is a re-attempt after the retry timeout, but the ledger saw no ` +
        `failure before it. Likely cause: the task ledger's retry walk (replay/taskLedger.ts).`,
    );
  }
  const decided: Decisions = { events: [], activityMessages: [], orchestrationMessages: [] };
  scheduleAction(id, retry.action, context, decided);
  decisions.events.push(...decided.events);
  decisions.orchestrationMessages.push({
    instanceId: context.instanceId,
    executionId: context.executionId,
    event: { ...failure, TaskScheduledId: id, Timestamp: context.now.toISOString(), IsPlayed: false },
  });
}

function scheduleAction(id: number, action: SdkAction, context: DecisionContext, decisions: Decisions): void {
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      scheduleActivity(id, action.functionName ?? '', toJsonText(decodeActionInput(action.input)), context, decisions);
      break;
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      startChild(id, action, context, decisions);
      break;
    case ActionType.CreateTimer:
      addTimer(id, new Date(action.fireAt ?? context.now), context, decisions, action.isCanceled === true);
      break;
    case ActionType.CallEntity:
    case ActionType.SignalEntity:
      sendToEntity(id, action, context, decisions);
      break;
    case ActionType.CallHttp:
      scheduleHttp(id, action.httpRequest as HttpRequestAction, context, decisions);
      break;
    case ActionType.LockEntities:
      requestLock(id, action, context, decisions);
      break;
    case ActionType.ReleaseEntities:
      releaseLock(id, action, context, decisions);
      break;
    default:
      break;
  }
}

function scheduleActivity(id: number, name: string, input: string, context: DecisionContext, decisions: Decisions) {
  const event = events.taskScheduled(context.now, id, name, input);
  decisions.events.push(event);
  decisions.activityMessages.push({ instanceId: context.instanceId, executionId: context.executionId, event });
}

function scheduleHttp(id: number, request: HttpRequestAction, context: DecisionContext, decisions: Decisions) {
  scheduleActivity(id, httpActivityName, JSON.stringify(request), context, decisions);
}

function addTimer(id: number, fireAt: Date, context: DecisionContext, decisions: Decisions, canceled = false): void {
  decisions.events.push(events.timerCreated(context.now, id, fireAt));
  if (canceled) {
    return;
  }
  decisions.orchestrationMessages.push({
    instanceId: context.instanceId,
    executionId: context.executionId,
    event: events.timerFired(context.now, id, fireAt.toISOString()),
    deliverAt: fireAt.getTime(),
  });
}

function startChild(id: number, action: SdkAction, context: DecisionContext, decisions: Decisions): void {
  // DTFx names a child without an explicit id `<parent execution id>:<task id>`.
  const childId = action.instanceId || `${context.executionId}:${id}`;
  const name = action.functionName ?? '';
  const input = toJsonText(action.input);
  decisions.events.push(events.subOrchestrationCreated(context.now, id, { name, instanceId: childId, input }));
  decisions.orchestrationMessages.push({
    instanceId: childId,
    event: events.executionStarted(context.now, {
      name,
      version: action.version,
      input,
      instanceId: childId,
      executionId: childExecutionId(context.executionId, id),
      parent: {
        Name: context.orchestratorName,
        TaskScheduleId: id,
        OrchestrationInstance: { InstanceId: context.instanceId, ExecutionId: context.executionId },
      },
    }),
  });
}

/** Entity request message (source: ext `EntityScheduler/RequestMessage.cs`). */
export interface EntityRequest {
  id: string;
  op: string;
  signal?: boolean;
  input?: string;
  parent?: string;
  parentExecution?: string;
  /** Lock request: the entities to lock in order, and which of them this message is at. */
  lockset?: string[];
  position?: number;
  /** Lock release from the orchestration that holds the lock. */
  release?: boolean;
  /** Order within the sender's stream to this entity (see entities/messageSorter.ts); releases carry none. */
  Timestamp?: string;
  Predecessor?: string;
}

/** A lock request goes to the first entity; each one forwards it to the next once locked, the last answers. */
function requestLock(id: number, action: SdkAction, context: DecisionContext, decisions: Decisions): void {
  const lockset = (action.lockSet ?? []).map(entitySchedulerId);
  const first = lockset[0];
  if (!first) {
    return;
  }
  const request: EntityRequest = {
    id: action.lockRequestId ?? (context.newId ?? randomUUID)(),
    op: lockEventName,
    lockset,
    position: 0,
    parent: context.instanceId,
    parentExecution: context.executionId,
  };
  sendEntityRequest(id, first, lockEventName, label(request, first, context), context, decisions);
}

function releaseLock(id: number, action: SdkAction, context: DecisionContext, decisions: Decisions): void {
  const target = action.instanceId ?? '';
  const request: EntityRequest = {
    id: action.lockRequestId ?? '',
    op: releaseEventName,
    release: true,
    parent: context.instanceId,
    parentExecution: context.executionId,
  };
  sendEntityRequest(id, target, releaseEventName, request, context, decisions);
}

function sendToEntity(id: number, action: SdkAction, context: DecisionContext, decisions: Decisions): void {
  const target = action.instanceId ?? '';
  const operation = action.operation ?? '';
  const request: EntityRequest = {
    id: (context.newId ?? randomUUID)(),
    op: operation,
    ...(action.actionType === ActionType.SignalEntity ? { signal: true } : {}),
    ...(action.input === undefined ? {} : { input: JSON.stringify(action.input) }),
    parent: context.instanceId,
    parentExecution: context.executionId,
  };
  sendEntityRequest(id, target, operation, label(request, target, context), context, decisions);
}

function label(request: EntityRequest, target: string, context: DecisionContext): EntityRequest {
  return context.entitySorter ? labelOutgoing(context.entitySorter, request, target, context.now.getTime()) : request;
}

/** Records EventSent under the task id and sends the request to the entity as an `op` event. */
function sendEntityRequest(
  id: number,
  target: string,
  name: string,
  request: EntityRequest,
  context: DecisionContext,
  decisions: Decisions,
): void {
  const text = JSON.stringify(request);
  decisions.events.push(events.eventSent(context.now, id, target, name, text));
  decisions.orchestrationMessages.push({ instanceId: target, event: events.eventRaised(context.now, 'op', text) });
}

/**
 * The child's execution id follows from the parent's execution and the task id, so a start re-sent after a
 * crash before the parent's checkpoint is recognised by the child as a duplicate rather than run again.
 */
export function childExecutionId(parentExecutionId: string, taskId: number): string {
  return createHash('sha256').update(`${parentExecutionId}:${taskId}`).digest('hex').slice(0, 32);
}
