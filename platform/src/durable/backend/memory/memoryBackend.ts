import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../clock/clock';
import { HistoryConflictError, WorkItemLostError } from '../errors';
import type {
  ActivityWorkItem,
  HistoryEvent,
  InstancePage,
  InstanceQuery,
  InstanceState,
  OrchestrationCheckpoint,
  OrchestrationWorkItem,
  PurgeFilter,
  ReceivedMessage,
  TaskHubBackend,
  TaskMessage,
} from '../types';
import { isEntityInstanceId } from '../types';
import { matchesQuery, pageOf } from './instanceFilter';
import { Waiters } from './waiters';

interface StoredMessage {
  id: string;
  message: TaskMessage;
  visibleAt: number;
  dequeueCount: number;
  /** Kept back (never visible) until the next message for the instance arrives. */
  parked?: boolean;
}

interface StoredHistory {
  events: HistoryEvent[];
  etag: number;
}

/** Options of the in-memory task hub. */
export interface MemoryBackendOptions {
  hubName: string;
  clock: Clock;
  /** How long a locked activity stays invisible before it is redelivered; default 5 minutes. */
  workItemVisibilityTimeoutMs?: number;
}

/**
 * A task hub held in process memory, for tests and quick local runs. Deliveries wait on the host clock, so with
 * a virtual clock a seven-day timer or a retry back-off fires as soon as the test advances time. Values are
 * copied in and out so callers never share objects with the store.
 */
export class MemoryBackend implements TaskHubBackend {
  readonly kind = 'memory';
  readonly hubName: string;
  readonly partitionCount = 1;
  readonly #clock: Clock;
  readonly #visibilityMs: number;
  readonly #instances = new Map<string, InstanceState>();
  readonly #histories = new Map<string, StoredHistory>();
  readonly #control = new Map<string, StoredMessage[]>();
  /** Instances that may have a visible message, orchestrations and entities apart; cleaned lazily. */
  readonly #ready = { orchestration: new Set<string>(), entity: new Set<string>() };
  readonly #activities: StoredMessage[] = [];
  readonly #locked = new Map<string, Set<string>>();
  readonly #lockOwners = new Map<string, OrchestrationWorkItem>();
  readonly #lockedActivities = new Set<string>();
  readonly #waiters: Record<SessionKind, Waiters>;
  readonly #activityWaiters: Waiters;
  #running = false;

  constructor(options: MemoryBackendOptions) {
    this.hubName = options.hubName;
    this.#clock = options.clock;
    this.#visibilityMs = options.workItemVisibilityTimeoutMs ?? 5 * 60_000;
    this.#waiters = { orchestration: new Waiters(options.clock), entity: new Waiters(options.clock) };
    this.#activityWaiters = new Waiters(options.clock);
  }

  /** True when a message or activity is visible now or locked: the engine has work to do. */
  hasWorkNow(): boolean {
    const now = this.#clock.now();
    const ready = [...this.#ready.orchestration, ...this.#ready.entity];
    const controlDue = ready.some((id) => this.#control.get(id)?.some((m) => m.visibleAt <= now));
    const activityDue = this.#activities.some((m) => m.visibleAt <= now && !this.#lockedActivities.has(m.id));
    return controlDue || activityDue || this.#locked.size > 0 || this.#lockedActivities.size > 0;
  }

  createIfNotExists(): Promise<void> {
    return Promise.resolve();
  }

  deleteTaskHub(): Promise<void> {
    this.#instances.clear();
    this.#histories.clear();
    this.#control.clear();
    this.#ready.orchestration.clear();
    this.#ready.entity.clear();
    this.#activities.length = 0;
    return Promise.resolve();
  }

  start(): Promise<void> {
    this.#running = true;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.#running = false;
    this.#waiters.orchestration.wakeAll();
    this.#waiters.entity.wakeAll();
    this.#activityWaiters.wakeAll();
    return Promise.resolve();
  }

  lockNextOrchestrationWorkItem(signal: AbortSignal): Promise<OrchestrationWorkItem | undefined> {
    return this.#lockNext('orchestration', signal);
  }

  lockNextEntityWorkItem(signal: AbortSignal): Promise<OrchestrationWorkItem | undefined> {
    return this.#lockNext('entity', signal);
  }

  async #lockNext(kind: SessionKind, signal: AbortSignal): Promise<OrchestrationWorkItem | undefined> {
    const found = this.#takeOrchestrationWorkItem(kind);
    if (found || !this.#running) {
      return found;
    }
    await this.#waiters[kind].wait(signal);
    return this.#running ? this.#takeOrchestrationWorkItem(kind) : undefined;
  }

  completeOrchestrationWorkItem(workItem: OrchestrationWorkItem, checkpoint: OrchestrationCheckpoint): Promise<void> {
    try {
      this.#complete(workItem, checkpoint);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #complete(workItem: OrchestrationWorkItem, checkpoint: OrchestrationCheckpoint): void {
    const instanceId = workItem.instanceId;
    const lockedIds = this.#locked.get(instanceId);
    if (!lockedIds || this.#lockOwners.get(instanceId) !== workItem) {
      throw new WorkItemLostError(instanceId, 'its lock was released or taken by another work item');
    }
    this.#sendActivities(checkpoint.activityMessages);
    this.#sendControl(checkpoint.orchestrationMessages);

    try {
      this.#writeHistory(workItem, checkpoint.history);
    } catch (error) {
      this.#release(instanceId, [...lockedIds], 0);
      throw error;
    }
    if (checkpoint.instance) {
      this.#instances.set(instanceId, copyRow(checkpoint.instance));
    }

    const consumed = new Set(checkpoint.consumedMessageIds);
    const remaining = (this.#control.get(instanceId) ?? []).filter((m) => !consumed.has(m.id));
    if (remaining.length > 0) {
      this.#control.set(instanceId, remaining);
    } else {
      this.#control.delete(instanceId);
    }
    const parked = this.#park(remaining, lockedIds, checkpoint.parkedMessageIds ?? []);
    this.#release(
      instanceId,
      [...lockedIds].filter((id) => !consumed.has(id) && !parked.has(id)),
      checkpoint.releaseDelayMs ?? 0,
    );
  }

  /**
   * Parks messages of a work item: they stay invisible (as locked) until `#sendControl` brings the next message.
   * A message that arrived while the instance was locked is that next message already, so nothing is parked then.
   */
  #park(remaining: StoredMessage[], lockedIds: Set<string>, parkedIds: readonly string[]): Set<string> {
    const parked = new Set(parkedIds);
    if (parked.size === 0 || remaining.some((m) => !lockedIds.has(m.id))) {
      return new Set();
    }
    for (const message of remaining) {
      message.parked = parked.has(message.id);
    }
    return parked;
  }

  abandonOrchestrationWorkItem(workItem: OrchestrationWorkItem, delayMs = 0): Promise<void> {
    const lockedIds = this.#locked.get(workItem.instanceId);
    if (lockedIds && this.#lockOwners.get(workItem.instanceId) === workItem) {
      this.#release(workItem.instanceId, [...lockedIds], delayMs);
    }
    return Promise.resolve();
  }

  async lockNextActivityWorkItem(signal: AbortSignal): Promise<ActivityWorkItem | undefined> {
    const found = this.#takeActivity();
    if (found || !this.#running) {
      return found;
    }
    await this.#activityWaiters.wait(signal, this.#nextActivityDueAt());
    return this.#running ? this.#takeActivity() : undefined;
  }

  renewActivityWorkItem(workItem: ActivityWorkItem): Promise<void> {
    const stored = this.#activities.find((m) => m.id === workItem.id);
    if (stored) {
      stored.visibleAt = this.#clock.now() + this.#visibilityMs;
    }
    return Promise.resolve();
  }

  completeActivityWorkItem(workItem: ActivityWorkItem, response: TaskMessage): Promise<void> {
    this.#sendControl([response]);
    this.#removeActivity(workItem.id);
    return Promise.resolve();
  }

  abandonActivityWorkItem(workItem: ActivityWorkItem, delayMs = 0): Promise<void> {
    const stored = this.#activities.find((m) => m.id === workItem.id);
    this.#lockedActivities.delete(workItem.id);
    if (stored) {
      stored.visibleAt = this.#clock.now() + delayMs;
      this.#activityWaiters.wakeOne();
    }
    return Promise.resolve();
  }

  createInstance(instance: InstanceState, startMessage: TaskMessage): Promise<void> {
    this.#instances.set(instance.instanceId, copyRow(instance));
    this.#sendControl([startMessage]);
    return Promise.resolve();
  }

  sendOrchestrationMessages(messages: readonly TaskMessage[]): Promise<void> {
    this.#sendControl(messages);
    return Promise.resolve();
  }

  getInstance(instanceId: string): Promise<InstanceState | undefined> {
    const instance = this.#instances.get(instanceId);
    return Promise.resolve(instance ? copyRow(instance) : undefined);
  }

  getHistory(instanceId: string): Promise<HistoryEvent[]> {
    return Promise.resolve([...(this.#histories.get(instanceId)?.events ?? [])].map((e) => ({ ...e })));
  }

  queryInstances(query: InstanceQuery): Promise<InstancePage> {
    const matching = [...this.#instances.values()]
      .filter((instance) => matchesQuery(instance, query))
      .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
    return Promise.resolve(
      pageOf(
        matching.map((i) => copyRow(i)),
        query,
      ),
    );
  }

  purgeInstance(instanceId: string): Promise<boolean> {
    const existed = this.#instances.delete(instanceId);
    this.#histories.delete(instanceId);
    return Promise.resolve(existed);
  }

  purgeInstances(filter: PurgeFilter): Promise<number> {
    let count = 0;
    for (const instance of [...this.#instances.values()]) {
      if (matchesQuery(instance, { ...filter, entities: undefined })) {
        this.#instances.delete(instance.instanceId);
        this.#histories.delete(instance.instanceId);
        count++;
      }
    }
    return Promise.resolve(count);
  }

  #takeOrchestrationWorkItem(kind: SessionKind): OrchestrationWorkItem | undefined {
    const ready = this.#ready[kind];
    // Each pass looks at as many instances as were ready when it began: an instance whose hidden message comes due
    // during a pass is marked ready again, appended to the set, and looked at in the next pass with the clock read
    // again; an unbounded walk of the live set would revisit it forever. No snapshot: a take that succeeds early
    // costs nothing per waiting instance.
    while (ready.size > 0) {
      let budget = ready.size;
      for (const instanceId of ready) {
        if (budget-- === 0) {
          break;
        }
        ready.delete(instanceId);
        const workItem = this.#lockInstance(instanceId);
        if (workItem) {
          return workItem;
        }
      }
    }
    return undefined;
  }

  /** Locks the instance's visible messages into a work item; undefined while it is locked or none is visible. */
  #lockInstance(instanceId: string): OrchestrationWorkItem | undefined {
    if (this.#locked.has(instanceId)) {
      return undefined;
    }
    const now = this.#clock.now();
    const queue = this.#control.get(instanceId) ?? [];
    const visible = queue.filter((m) => m.visibleAt <= now);
    if (visible.length === 0) {
      this.#markLaterMessages(instanceId, queue);
      return undefined;
    }
    for (const message of visible) {
      message.dequeueCount++;
      message.visibleAt = Number.POSITIVE_INFINITY;
    }
    this.#locked.set(instanceId, new Set(visible.map((m) => m.id)));
    const history = this.#histories.get(instanceId);
    const instance = this.#instances.get(instanceId);
    const workItem: OrchestrationWorkItem = {
      instanceId,
      messages: visible.map((m): ReceivedMessage => ({
        messageId: m.id,
        dequeueCount: m.dequeueCount,
        message: copyMessage(m.message),
      })),
      // Stored events are never mutated (writes clone them), so a shallow copy is enough.
      history: [...(history?.events ?? [])],
      instance: instance ? copyRow(instance) : undefined,
      etag: history ? String(history.etag) : undefined,
    };
    this.#lockOwners.set(instanceId, workItem);
    return workItem;
  }

  #writeHistory(workItem: OrchestrationWorkItem, history: OrchestrationCheckpoint['history']): void {
    const stored = this.#histories.get(workItem.instanceId);
    const currentEtag = stored ? String(stored.etag) : undefined;
    if (history.events.length === 0 && !history.replace) {
      return;
    }
    if (currentEtag !== workItem.etag) {
      throw new HistoryConflictError(workItem.instanceId, workItem.etag);
    }
    const events = history.replace
      ? history.events.map((e) => ({ ...e }))
      : [...(stored?.events ?? []), ...history.events.map((e) => ({ ...e }))];
    this.#histories.set(workItem.instanceId, { events, etag: (stored?.etag ?? 0) + 1 });
  }

  #release(instanceId: string, messageIds: string[], delayMs: number): void {
    const ids = new Set(messageIds);
    const visibleAt = this.#clock.now() + delayMs;
    for (const message of this.#control.get(instanceId) ?? []) {
      if (ids.has(message.id)) {
        message.visibleAt = visibleAt;
      }
    }
    this.#locked.delete(instanceId);
    this.#lockOwners.delete(instanceId);
    const now = this.#clock.now();
    if (this.#control.get(instanceId)?.some((m) => m.visibleAt <= now)) {
      this.#markReady(instanceId, now);
    }
    if (delayMs > 0 && ids.size > 0) {
      this.#markReady(instanceId, visibleAt);
    }
  }

  /**
   * Keeps an instance whose messages are not visible yet on the schedule. Node timers can fire a millisecond or
   * more before `Date.now()` reaches their due time, so a wake-up may arrive while its message is still hidden.
   */
  #markLaterMessages(instanceId: string, queue: readonly StoredMessage[]): void {
    const next = queue.reduce((earliest, m) => Math.min(earliest, m.visibleAt), Number.POSITIVE_INFINITY);
    if (Number.isFinite(next)) {
      this.#markReady(instanceId, next);
    }
  }

  /** Makes the instance a candidate for `lockNext…` at `at` (now or later) and wakes the parked loops. */
  #markReady(instanceId: string, at: number): void {
    const delay = at - this.#clock.now();
    // One loop per ready instance: a loop that is not parked looks for work before it parks, so none is missed.
    const kind = sessionKind(instanceId);
    if (delay <= 0) {
      this.#ready[kind].add(instanceId);
      this.#waiters[kind].wakeOne();
      return;
    }
    this.#clock.schedule(delay, () => {
      this.#ready[kind].add(instanceId);
      this.#waiters[kind].wakeOne();
    });
  }

  #sendControl(messages: readonly TaskMessage[]): void {
    const now = this.#clock.now();
    for (const message of messages) {
      const queue = this.#control.get(message.instanceId) ?? [];
      const visibleAt = Math.max(now, message.deliverAt ?? now);
      for (const waiting of queue.filter((m) => m.parked)) {
        waiting.parked = false;
        waiting.visibleAt = visibleAt;
      }
      queue.push({ id: randomUUID(), message: copyMessage(message), visibleAt, dequeueCount: 0 });
      this.#control.set(message.instanceId, queue);
      this.#markReady(message.instanceId, visibleAt);
    }
  }

  #sendActivities(messages: readonly TaskMessage[]): void {
    const now = this.#clock.now();
    for (const message of messages) {
      this.#activities.push({ id: randomUUID(), message: copyMessage(message), visibleAt: now, dequeueCount: 0 });
      this.#activityWaiters.wakeOne();
    }
  }

  #takeActivity(): ActivityWorkItem | undefined {
    const now = this.#clock.now();
    const stored = this.#activities.find((m) => m.visibleAt <= now && !this.#lockedActivities.has(m.id));
    if (!stored) {
      return undefined;
    }
    stored.dequeueCount++;
    stored.visibleAt = now + this.#visibilityMs;
    this.#lockedActivities.add(stored.id);
    return { id: stored.id, dequeueCount: stored.dequeueCount, message: copyMessage(stored.message) };
  }

  #removeActivity(id: string): void {
    const index = this.#activities.findIndex((m) => m.id === id);
    if (index >= 0) {
      this.#activities.splice(index, 1);
    }
    this.#lockedActivities.delete(id);
  }

  #nextActivityDueAt(): number | undefined {
    let earliest: number | undefined;
    for (const message of this.#activities) {
      if (earliest === undefined || message.visibleAt < earliest) {
        earliest = message.visibleAt;
      }
    }
    return earliest;
  }
}

/** Orchestrations and entities are handed to separate dispatchers. */
type SessionKind = 'orchestration' | 'entity';

function sessionKind(instanceId: string): SessionKind {
  return isEntityInstanceId(instanceId) ? 'entity' : 'orchestration';
}

/** Messages hold flat events (nested refs are never mutated), so copying two levels keeps callers apart. */
function copyMessage(message: TaskMessage): TaskMessage {
  return { ...message, event: { ...message.event } };
}

/** Instance rows are flat. */
function copyRow(row: InstanceState): InstanceState {
  return { ...row };
}
