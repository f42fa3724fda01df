import { HistoryConflictError, WorkItemLostError } from '../../src/durable/backend/errors';
import {
  EventType,
  type HistoryEvent,
  type InstanceState,
  type OrchestrationCheckpoint,
  type OrchestrationWorkItem,
  type TaskHubBackend,
} from '../../src/durable/backend/types';

/** A backend under test, a way to move its time forward, and clean-up. */
export interface BackendUnderTest {
  backend: TaskHubBackend;
  /** Host-clock now (epoch ms) as the backend sees it. */
  now(): number;
  /** Lets `ms` of the backend's time pass (virtual clock advance, or a real wait). */
  passTime(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * The task-hub contract every backend must meet, as the engine relies on it (backend/types.ts): delivery,
 * checkpoint, etag conflicts, delayed messages, activities, queries, purge and large payloads.
 */
export function describeBackendContract(name: string, create: () => Promise<BackendUnderTest>): void {
  describe(`${name} meets the task-hub backend contract`, () => {
    let subject: BackendUnderTest;
    let backend: TaskHubBackend;
    let ids = 0;
    const nextId = () => `contract-${Date.now().toString(36)}-${ids++}`;

    beforeEach(async () => {
      subject = await create();
      backend = subject.backend;
      await backend.createIfNotExists();
      await backend.start();
    });

    afterEach(async () => {
      await backend.stop();
      await subject.dispose();
    });

    const lock = async (instanceId: string, timeoutMs = 10_000): Promise<OrchestrationWorkItem> => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const item = await backend.lockNextOrchestrationWorkItem(AbortSignal.timeout(1_000));
        if (item?.instanceId === instanceId) {
          return item;
        }
        if (item) {
          await backend.abandonOrchestrationWorkItem(item);
        }
      }
      throw new Error(`No work item for '${instanceId}' within ${timeoutMs} ms.`);
    };

    const start = async (instanceId: string, input = '"hi"'): Promise<void> => {
      await backend.createInstance(row(instanceId, subject.now(), input), {
        instanceId,
        executionId: 'exec-1',
        event: event(EventType.ExecutionStarted, subject.now(), { Name: 'orch', Input: input }),
      });
    };

    it('delivers a start, then persists history and the instance row at checkpoint', async () => {
      const id = nextId();
      await start(id);
      const item = await lock(id);
      expect(item.messages.map((m) => m.message.event.EventType)).toEqual([EventType.ExecutionStarted]);
      expect(item.history).toEqual([]);
      expect(item.instance?.runtimeStatus).toBe('Pending');

      const events = [event(EventType.OrchestratorStarted, subject.now()), item.messages[0]!.message.event];
      await backend.completeOrchestrationWorkItem(
        item,
        checkpoint(item, events, { ...row(id, subject.now()), runtimeStatus: 'Running' }),
      );

      expect((await backend.getHistory(id)).map((e) => e.EventType)).toEqual([
        EventType.OrchestratorStarted,
        EventType.ExecutionStarted,
      ]);
      expect((await backend.getInstance(id))?.runtimeStatus).toBe('Running');
    });

    it('rejects a checkpoint from a stale work item', async () => {
      const id = nextId();
      await start(id);
      const stale = await lock(id);
      await backend.abandonOrchestrationWorkItem(stale);
      const fresh = await lock(id);
      await backend.completeOrchestrationWorkItem(
        fresh,
        checkpoint(fresh, [event(EventType.OrchestratorStarted, subject.now())]),
      );

      await backend.sendOrchestrationMessages([
        { instanceId: id, event: event(EventType.EventRaised, subject.now(), { Name: 'x' }) },
      ]);
      const next = await lock(id);
      await backend.completeOrchestrationWorkItem(
        next,
        checkpoint(next, [event(EventType.OrchestratorStarted, subject.now())]),
      );
      const failure = await backend
        .completeOrchestrationWorkItem(stale, checkpoint(stale, [event(EventType.OrchestratorStarted, subject.now())]))
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(conflictOrLost(failure)).toBe(true);
    });

    it('holds a message with deliverAt until its time, and releases unconsumed messages again', async () => {
      const id = nextId();
      await start(id);
      const item = await lock(id);
      const timer = {
        instanceId: id,
        event: event(EventType.TimerFired, subject.now(), { TimerId: 0 }),
        deliverAt: subject.now() + 1_500,
      };
      await backend.completeOrchestrationWorkItem(item, {
        ...checkpoint(item, [event(EventType.OrchestratorStarted, subject.now())]),
        orchestrationMessages: [timer],
      });
      const early = await backend.lockNextOrchestrationWorkItem(AbortSignal.timeout(200));
      expect(early?.instanceId === id ? early.messages.length : 0).toBe(0);
      if (early) {
        await backend.abandonOrchestrationWorkItem(early);
      }

      await subject.passTime(1_600);
      const due = await lock(id);
      expect(due.messages.map((m) => m.message.event.EventType)).toEqual([EventType.TimerFired]);
      await backend.completeOrchestrationWorkItem(due, { ...checkpoint(due, []), consumedMessageIds: [] });
      const again = await lock(id);
      expect(again.messages[0]?.dequeueCount).toBeGreaterThanOrEqual(2);
      await backend.completeOrchestrationWorkItem(again, checkpoint(again, []));
    });

    it('keeps parked messages back until the next message for the instance, then delivers them first', async () => {
      const id = nextId();
      await start(id);
      const started = await lock(id);
      await backend.completeOrchestrationWorkItem(
        started,
        checkpoint(started, [event(EventType.OrchestratorStarted, subject.now())]),
      );
      const raise = (name: string) =>
        backend.sendOrchestrationMessages([
          { instanceId: id, event: event(EventType.EventRaised, subject.now(), { Name: name }) },
        ]);
      await raise('a');
      await raise('b');
      const parked: string[] = [];
      while (parked.length < 2) {
        const item = await lock(id);
        parked.push(...item.messages.map((m) => m.message.event.Name ?? ''));
        await backend.completeOrchestrationWorkItem(item, {
          ...checkpoint(item, []),
          consumedMessageIds: [],
          parkedMessageIds: item.messages.map((m) => m.messageId),
        });
      }

      await subject.passTime(1_500);
      const idle = await backend.lockNextOrchestrationWorkItem(AbortSignal.timeout(300));
      expect(idle?.instanceId).not.toBe(id);
      if (idle) {
        await backend.abandonOrchestrationWorkItem(idle);
      }

      await raise('c');
      const woken = await lock(id);
      expect(woken.messages.map((m) => m.message.event.Name)).toEqual(['a', 'b', 'c']);
      await backend.completeOrchestrationWorkItem(woken, checkpoint(woken, []));
    });

    it('never hands out two work items for one instance at a time', async () => {
      const id = nextId();
      await start(id);
      const item = await lock(id);
      await backend.sendOrchestrationMessages([
        { instanceId: id, event: event(EventType.EventRaised, subject.now(), { Name: 'e' }) },
      ]);
      const other = await backend.lockNextOrchestrationWorkItem(AbortSignal.timeout(500));
      expect(other?.instanceId).not.toBe(id);
      await backend.completeOrchestrationWorkItem(
        item,
        checkpoint(item, [event(EventType.OrchestratorStarted, subject.now())]),
      );
      const next = await lock(id);
      expect(next.messages.map((m) => m.message.event.Name)).toEqual(['e']);
      await backend.completeOrchestrationWorkItem(next, checkpoint(next, []));
    });

    it('hands entity work items only to the entity dispatcher and orchestrations only to the other', async () => {
      const entityId = `@counter@${nextId()}`;
      const orchestrationId = nextId();
      await backend.sendOrchestrationMessages([
        { instanceId: entityId, event: event(EventType.EventRaised, subject.now(), { Name: 'op', Input: '{}' }) },
      ]);
      await start(orchestrationId);

      const entityItem = await backend.lockNextEntityWorkItem(AbortSignal.timeout(10_000));
      expect(entityItem?.instanceId).toBe(entityId);
      const orchestrationItem = await lock(orchestrationId);
      expect(orchestrationItem.instanceId).toBe(orchestrationId);
      expect(await backend.lockNextEntityWorkItem(AbortSignal.timeout(300))).toBeUndefined();

      await backend.completeOrchestrationWorkItem(entityItem as OrchestrationWorkItem, checkpoint(entityItem!, []));
      await backend.completeOrchestrationWorkItem(orchestrationItem, checkpoint(orchestrationItem, []));
    });

    it('runs activities as competing work items and routes their responses to the instance', async () => {
      const id = nextId();
      await start(id);
      const item = await lock(id);
      const scheduled = event(EventType.TaskScheduled, subject.now(), { Name: 'act', Input: '1' }, 0);
      await backend.completeOrchestrationWorkItem(item, {
        ...checkpoint(item, [event(EventType.OrchestratorStarted, subject.now()), scheduled]),
        activityMessages: [{ instanceId: id, executionId: 'exec-1', event: scheduled }],
      });

      const first = await lockActivity(backend);
      expect(first.message.event.Name).toBe('act');
      await backend.abandonActivityWorkItem(first);
      const second = await lockActivity(backend);
      expect(second.message.event).toMatchObject({ Name: 'act', EventId: 0 });
      await backend.completeActivityWorkItem(second, {
        instanceId: id,
        executionId: 'exec-1',
        event: event(EventType.TaskCompleted, subject.now(), { TaskScheduledId: 0, Result: '2' }),
      });
      const response = await lock(id);
      expect(response.messages[0]?.message.event).toMatchObject({ EventType: EventType.TaskCompleted, Result: '2' });
      expect(response.history.map((e) => e.EventType)).toContain(EventType.TaskScheduled);
      await backend.completeOrchestrationWorkItem(response, checkpoint(response, []));
      expect(await backend.lockNextActivityWorkItem(AbortSignal.timeout(300))).toBeUndefined();
    });

    it('replaces the history for a new execution', async () => {
      const id = nextId();
      await start(id);
      const item = await lock(id);
      await backend.completeOrchestrationWorkItem(
        item,
        checkpoint(item, [
          event(EventType.OrchestratorStarted, subject.now()),
          event(EventType.ExecutionStarted, subject.now(), { Name: 'orch' }),
        ]),
      );
      await backend.sendOrchestrationMessages([
        { instanceId: id, event: event(EventType.EventRaised, subject.now(), { Name: 'e' }) },
      ]);
      const next = await lock(id);
      await backend.completeOrchestrationWorkItem(next, {
        ...checkpoint(next, [event(EventType.ExecutionStarted, subject.now(), { Name: 'orch', Input: '"gen2"' })]),
        history: {
          executionId: 'exec-2',
          events: [event(EventType.ExecutionStarted, subject.now(), { Name: 'orch', Input: '"gen2"' })],
          replace: true,
        },
      });
      const history = await backend.getHistory(id);
      expect(history.map((e) => e.Input)).toEqual(['"gen2"']);
    });

    it('round-trips payloads of several megabytes in messages, history and instance rows', async () => {
      const id = nextId();
      const big = JSON.stringify('y'.repeat(3 * 1024 * 1024));
      await start(id, big);
      const item = await lock(id);
      expect(item.messages[0]?.message.event.Input).toBe(big);
      await backend.completeOrchestrationWorkItem(
        item,
        checkpoint(item, [event(EventType.OrchestratorStarted, subject.now()), item.messages[0]!.message.event], {
          ...row(id, subject.now(), big),
          runtimeStatus: 'Completed',
          output: big,
        }),
      );
      expect((await backend.getHistory(id))[1]?.Input).toBe(big);
      expect((await backend.getInstance(id))?.output).toBe(big);
    });

    it('queries instances by status and prefix in pages, and purges them', async () => {
      const prefix = nextId();
      for (let i = 0; i < 5; i++) {
        const instanceId = `${prefix}-${i}`;
        await start(instanceId);
        const item = await lock(instanceId);
        const status = i % 2 === 0 ? 'Completed' : 'Running';
        await backend.completeOrchestrationWorkItem(
          item,
          checkpoint(item, [event(EventType.OrchestratorStarted, subject.now())], {
            ...row(instanceId, subject.now()),
            runtimeStatus: status,
          }),
        );
      }
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await backend.queryInstances({
          instanceIdPrefix: prefix,
          runtimeStatus: ['Completed'],
          top: 2,
          continuationToken: token,
        });
        seen.push(...page.instances.map((i) => i.instanceId));
        token = page.continuationToken;
      } while (token);
      expect(seen.sort()).toEqual([`${prefix}-0`, `${prefix}-2`, `${prefix}-4`]);

      expect(await backend.purgeInstance(`${prefix}-1`)).toBe(true);
      expect(await backend.purgeInstance(`${prefix}-1`)).toBe(false);
      expect(await backend.getHistory(`${prefix}-1`)).toEqual([]);
      const purged = await backend.purgeInstances({
        createdTimeFrom: new Date(subject.now() - 60_000).toISOString(),
        createdTimeTo: new Date(subject.now() + 60_000).toISOString(),
        runtimeStatus: ['Completed'],
      });
      expect(purged).toBeGreaterThanOrEqual(3);
      expect(await backend.getInstance(`${prefix}-0`)).toBeUndefined();
      expect(await backend.getInstance(`${prefix}-3`)).toBeDefined();
    });
  });
}

function conflictOrLost(error: unknown): boolean {
  return error instanceof HistoryConflictError || error instanceof WorkItemLostError;
}

async function lockActivity(backend: TaskHubBackend) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const item = await backend.lockNextActivityWorkItem(AbortSignal.timeout(1_000));
    if (item) {
      return item;
    }
  }
  throw new Error('No activity work item within 10 s.');
}

function row(instanceId: string, now: number, input = '"hi"'): InstanceState {
  const time = new Date(now).toISOString();
  return {
    instanceId,
    name: 'orch',
    executionId: 'exec-1',
    runtimeStatus: 'Pending',
    input,
    createdTime: time,
    lastUpdatedTime: time,
    generation: 0,
  };
}

function event(
  type: HistoryEvent['EventType'],
  now: number,
  fields: Partial<HistoryEvent> = {},
  eventId = -1,
): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: new Date(now).toISOString(), ...fields };
}

function checkpoint(
  item: OrchestrationWorkItem,
  events: HistoryEvent[],
  instance?: InstanceState,
): OrchestrationCheckpoint {
  return {
    activityMessages: [],
    orchestrationMessages: [],
    history: { executionId: 'exec-1', events, replace: false },
    instance,
    consumedMessageIds: item.messages.map((m) => m.messageId),
  };
}
