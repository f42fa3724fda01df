import { EventType, type HistoryEvent } from '../backend/types';
import { ActionType, describeAction, idTakingActions, type SdkAction } from './actions';
import { NonDeterminismError } from './errors';
import { fromJsonText } from './jsonText';

/** Built-in activity name under which the extension runs `callHttp` (source: ext `HttpActivity`). */
export const httpActivityName = 'BuiltIn::HttpActivity';

/** `EventSent.Name` of a lock request and of a lock release (entity critical sections, schema V4). */
export const lockEventName = 'lock';
export const releaseEventName = 'release';

/** A retryable action's progress; shared by the slots of its attempts and retry timers. */
export interface RetryProgress {
  readonly action: SdkAction;
  /** Number of the attempt now scheduled or running (1-based), as the SDK's `attemptNumber`. */
  attempt: number;
  /** Episode time (epoch ms) of the first attempt's decision: `retryTimeoutInMilliseconds` counts from here. */
  firstAttemptAt?: number;
  /** The latest failure of an attempt (TaskFailed / SubOrchestrationInstanceFailed). */
  lastFailure?: HistoryEvent;
}

/** A callHttp action's polling state (202 + Location). */
export interface HttpPolling {
  readonly action: SdkAction;
  location: string;
  delayMs: number;
}

/** Why a task id was taken. */
export type SlotRole =
  | { readonly kind: 'action'; readonly action: SdkAction; readonly retry?: RetryProgress; readonly poll?: HttpPolling }
  | {
      readonly kind: 'retryTimer';
      readonly retry: RetryProgress;
      readonly lastAttempt: boolean;
      readonly timedOut: boolean;
    }
  | { readonly kind: 'retryAttempt'; readonly retry: RetryProgress; readonly timedOut: boolean }
  | { readonly kind: 'pollTimer'; readonly poll: HttpPolling; readonly callId: number }
  | { readonly kind: 'pollCall'; readonly poll: HttpPolling; readonly timerId: number };

/** One task id: its role, and whether its decision event and completion are in history. */
export interface Slot {
  readonly id: number;
  readonly role: SlotRole;
  decided: boolean;
  completed: boolean;
}

/**
 * The engine's mirror of the SDK's task-id counter (reference durable.md §4, §7). It is rebuilt from the history
 * and the action list on every episode by walking the history in order: decision events consume the code's
 * id-taking actions one by one; failures of retryable tasks, their retry timers and callHttp 202 results take
 * ids exactly where the SDK's RetryableTask / CallHttpWithPollingTask take them, before user code resumes.
 * Replay of an existing history depends on this walk: changes to it are versioned behaviour.
 */
export class TaskLedger {
  readonly slots = new Map<number, Slot>();
  #nextId = 0;
  #cursor = 0;
  readonly #actions: SdkAction[];
  readonly #instanceId: string;
  readonly #pollDelayMs: number;

  private constructor(instanceId: string, actions: readonly SdkAction[], pollDelayMs: number) {
    this.#instanceId = instanceId;
    this.#actions = idTakingActions(actions);
    this.#pollDelayMs = pollDelayMs;
  }

  /**
   * Walks `history` (the episode's new events included) against the code's action list. Throws
   * NonDeterminismError when a recorded decision does not match the action the code now takes at that id.
   */
  static build(
    instanceId: string,
    history: readonly HistoryEvent[],
    actions: readonly SdkAction[],
    pollDelayMs: number,
  ): TaskLedger {
    const ledger = new TaskLedger(instanceId, actions, pollDelayMs);
    for (const event of history) {
      ledger.#apply(event);
    }
    return ledger;
  }

  /** Slots whose decision is due now and not yet recorded (retry timers, re-attempts, polls), in id order. */
  dueBookkeeping(): Slot[] {
    return [...this.slots.values()].filter((slot) => !slot.decided && this.#isDue(slot)).sort((a, b) => a.id - b.id);
  }

  /** Actions the code took that have no id yet, each with the id the SDK gave it. */
  takeNewActions(): { id: number; slot: Slot }[] {
    const result: { id: number; slot: Slot }[] = [];
    for (; this.#cursor < this.#actions.length; this.#cursor++) {
      const action = this.#actions[this.#cursor] as SdkAction;
      const slot = this.#allocate({ kind: 'action', action, ...withProgress(action) });
      result.push({ id: slot.id, slot });
    }
    return result;
  }

  /** The slot of a task id, if the history knows it. */
  slot(id: number): Slot | undefined {
    return this.slots.get(id);
  }

  #isDue(slot: Slot): boolean {
    if (slot.role.kind === 'pollCall') {
      return this.slots.get(slot.role.timerId)?.completed === true;
    }
    return slot.role.kind !== 'action';
  }

  #apply(event: HistoryEvent): void {
    switch (event.EventType) {
      case EventType.TaskScheduled:
      case EventType.TimerCreated:
      case EventType.SubOrchestrationInstanceCreated:
      case EventType.EventSent:
        this.#decision(event);
        break;
      case EventType.TaskCompleted:
      case EventType.SubOrchestrationInstanceCompleted:
        this.#completion(event.TaskScheduledId, true, event);
        break;
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceFailed:
        this.#completion(event.TaskScheduledId, false, event);
        break;
      case EventType.TimerFired:
        this.#completion(event.TimerId, true, event);
        break;
      default:
        break;
    }
  }

  #decision(event: HistoryEvent): void {
    const existing = this.slots.get(event.EventId);
    if (existing) {
      existing.decided = true;
      return;
    }
    const action = this.#actions[this.#cursor];
    if (!action) {
      throw new NonDeterminismError(this.#instanceId, event.EventId, describeEvent(event), 'nothing');
    }
    if (event.EventId !== this.#nextId || !matches(event, action)) {
      throw new NonDeterminismError(this.#instanceId, event.EventId, describeEvent(event), describeAction(action));
    }
    this.#cursor++;
    const slot = this.#allocate({ kind: 'action', action, ...withProgress(action) });
    slot.decided = true;
    if (slot.role.kind === 'action' && slot.role.retry) {
      slot.role.retry.firstAttemptAt = Date.parse(event.Timestamp);
    }
  }

  #completion(id: number | undefined, succeeded: boolean, event: HistoryEvent): void {
    const slot = id === undefined ? undefined : this.slots.get(id);
    if (!slot || slot.completed) {
      return;
    }
    slot.completed = true;
    const role = slot.role;
    const retry = role.kind === 'action' || role.kind === 'retryAttempt' ? role.retry : undefined;
    if (retry && !succeeded) {
      // df-js RetryableTask: every failure takes a timer id, the last one included (DTFx's dummy timer).
      const lastAttempt = retry.attempt >= (retry.action.retryOptions?.maxNumberOfAttempts ?? 1);
      retry.lastFailure = event;
      this.#allocate({ kind: 'retryTimer', retry, lastAttempt, timedOut: retryTimedOut(retry, event) });
      retry.attempt++;
    } else if (role.kind === 'retryTimer' && !role.lastAttempt) {
      this.#allocate({ kind: 'retryAttempt', retry: role.retry, timedOut: role.timedOut });
    } else if (succeeded && (role.kind === 'action' || role.kind === 'pollCall')) {
      this.#maybePoll(role.kind === 'action' ? role.poll : role.poll, event);
    }
  }

  /** df-js CallHttpWithPollingTask: a 202 with Location takes a timer id and a new call id at once. */
  #maybePoll(poll: HttpPolling | undefined, event: HistoryEvent): void {
    if (!poll || event.EventType !== EventType.TaskCompleted) {
      return;
    }
    const response = safeParse(event.Result) as { statusCode?: number; headers?: Record<string, unknown> } | undefined;
    const location = response && response.statusCode === 202 ? header(response.headers, 'Location') : undefined;
    if (!location) {
      return;
    }
    const retryAfter = Number(header(response?.headers, 'Retry-After'));
    poll.location = location;
    poll.delayMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : this.#pollDelayMs;
    const timerId = this.#nextId;
    this.#allocate({ kind: 'pollTimer', poll, callId: timerId + 1 });
    this.#allocate({ kind: 'pollCall', poll, timerId });
  }

  #allocate(role: SlotRole): Slot {
    const slot: Slot = { id: this.#nextId++, role, decided: false, completed: false };
    this.slots.set(slot.id, slot);
    return slot;
  }
}

/**
 * DTFx `RetryInterceptor`: once a failure is handled at or after first attempt + `retryTimeoutInMilliseconds`, no
 * further attempt runs. Judged from the failure event's time, so every replay reaches the same verdict.
 */
function retryTimedOut(retry: RetryProgress, failure: HistoryEvent): boolean {
  const timeoutMs = retry.action.retryOptions?.retryTimeoutInMilliseconds;
  if (typeof timeoutMs !== 'number' || retry.firstAttemptAt === undefined) {
    return false;
  }
  return Date.parse(failure.Timestamp) >= retry.firstAttemptAt + timeoutMs;
}

function withProgress(action: SdkAction): { retry?: RetryProgress; poll?: HttpPolling } {
  if (action.retryOptions) {
    return { retry: { action, attempt: 1 } };
  }
  if (action.actionType === ActionType.CallHttp && action.httpRequest?.asynchronousPatternEnabled) {
    return { poll: { action, location: action.httpRequest.uri, delayMs: 0 } };
  }
  return {};
}

function matches(event: HistoryEvent, action: SdkAction): boolean {
  switch (event.EventType) {
    case EventType.TaskScheduled:
      return action.actionType === ActionType.CallHttp
        ? event.Name === httpActivityName
        : (action.actionType === ActionType.CallActivity || action.actionType === ActionType.CallActivityWithRetry) &&
            event.Name === action.functionName;
    case EventType.TimerCreated:
      return action.actionType === ActionType.CreateTimer;
    case EventType.SubOrchestrationInstanceCreated:
      return (
        (action.actionType === ActionType.CallSubOrchestrator ||
          action.actionType === ActionType.CallSubOrchestratorWithRetry) &&
        event.Name === action.functionName
      );
    case EventType.EventSent:
      if (action.actionType === ActionType.LockEntities) {
        return event.Name === lockEventName;
      }
      if (action.actionType === ActionType.ReleaseEntities) {
        return event.Name === releaseEventName && event.InstanceId === action.instanceId;
      }
      return (
        (action.actionType === ActionType.CallEntity || action.actionType === ActionType.SignalEntity) &&
        event.InstanceId === action.instanceId &&
        event.Name === action.operation
      );
    default:
      return false;
  }
}

/** A decision event described like an action, e.g. `CallActivity 'charge'`, for non-determinism messages. */
export function describeEvent(event: HistoryEvent): string {
  switch (event.EventType) {
    case EventType.TaskScheduled:
      return event.Name === httpActivityName ? 'CallHttp' : `CallActivity '${event.Name ?? ''}'`;
    case EventType.TimerCreated:
      return `CreateTimer '${event.FireAt ?? ''}'`;
    case EventType.SubOrchestrationInstanceCreated:
      return `CallSubOrchestrator '${event.Name ?? ''}'`;
    case EventType.EventSent:
      return `CallEntity '${event.Name ?? ''}' on '${event.InstanceId ?? ''}'`;
    default:
      return `event type ${event.EventType}`;
  }
}

function safeParse(text: string | undefined): unknown {
  try {
    return fromJsonText(text);
  } catch {
    return undefined;
  }
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase());
  const value = Array.isArray(entry?.[1]) ? (entry[1] as unknown[])[0] : entry?.[1];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
