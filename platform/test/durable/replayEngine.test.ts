import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EventType, type HistoryEvent } from '../../src/durable/backend/types';
import type { SdkAction } from '../../src/durable/replay/actions';
import { decide, retryDelayMs } from '../../src/durable/replay/decisions';
import { NonDeterminismError } from '../../src/durable/replay/errors';
import { TaskLedger } from '../../src/durable/replay/taskLedger';

interface HistoryFixture {
  actions: SdkAction[];
  history: HistoryEvent[];
}

function fixture(name: string): HistoryFixture {
  return JSON.parse(readFileSync(path.join(__dirname, 'fixtures/histories', `${name}.json`), 'utf8')) as HistoryFixture;
}

function decideFor(f: HistoryFixture, now = '2026-01-01T00:00:03.000Z') {
  const ledger = TaskLedger.build('instance-1', f.history, f.actions, 30_000);
  return decide(ledger, {
    instanceId: 'instance-1',
    executionId: 'e1',
    orchestratorName: 'orchestrator',
    now: new Date(now),
    newId: () => 'request-1',
  });
}

describe('the replay engine, driven by history fixtures', () => {
  it('takes the trailing timer id after the last failed retry, at once (the SDK waits for it)', () => {
    const saga = fixture('retry-saga');
    // The SDK has not resumed user code yet: the compensation is not among its actions.
    const decisions = decideFor({ actions: saga.actions.slice(0, 1), history: saga.history });
    expect(decisions.events).toEqual([
      expect.objectContaining({ EventType: EventType.TimerCreated, EventId: 3, FireAt: '2026-01-01T00:00:03.000Z' }),
    ]);
    expect(decisions.orchestrationMessages[0]?.event).toMatchObject({ EventType: EventType.TimerFired, TimerId: 3 });
    expect(decisions.activityMessages).toEqual([]);
  });

  it('schedules the compensation with the next id once the trailing timer fired', () => {
    const saga = fixture('retry-saga');
    const at = '2026-01-01T00:00:03.000Z';
    const history: HistoryEvent[] = [
      ...saga.history,
      { EventType: EventType.TimerCreated, EventId: 3, IsPlayed: false, Timestamp: at, FireAt: at },
      { EventType: EventType.OrchestratorCompleted, EventId: -1, IsPlayed: false, Timestamp: at },
      { EventType: EventType.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: at },
      { EventType: EventType.TimerFired, EventId: -1, IsPlayed: false, Timestamp: at, TimerId: 3 },
    ];
    const decisions = decideFor({ actions: saga.actions, history });
    expect(decisions.events).toEqual([
      expect.objectContaining({ EventType: EventType.TaskScheduled, EventId: 4, Name: 'releaseInventory' }),
    ]);
    expect(decisions.activityMessages[0]?.event.Input).toBe('{"id":"o1"}');
  });

  it('re-attempts a retryable activity under a new id when its retry timer fires before the last attempt', () => {
    const saga = fixture('retry-saga');
    const upToTimer = saga.history.slice(0, 10);
    const decisions = decideFor({ actions: saga.actions.slice(0, 1), history: upToTimer });
    expect(decisions.events).toEqual([
      expect.objectContaining({ EventType: EventType.TaskScheduled, EventId: 2, Name: 'chargePayment' }),
    ]);
  });

  it('numbers compound children in child order and takes ids for signals, calls and sub-orchestrations', () => {
    const decisions = decideFor(fixture('fan-out-entities'), '2026-01-01T00:00:00.000Z');
    expect(decisions.events.map((e) => [e.EventType, e.EventId, e.Name ?? e.InstanceId ?? e.FireAt])).toEqual([
      [EventType.TaskScheduled, 0, 'a'],
      [EventType.TaskScheduled, 1, 'b'],
      [EventType.TimerCreated, 2, '2026-01-08T00:00:00.000Z'],
      [EventType.EventSent, 3, 'add'],
      [EventType.EventSent, 4, 'get'],
      [EventType.SubOrchestrationInstanceCreated, 5, 'child'],
    ]);
    expect(decisions.activityMessages.map((m) => m.event.Input)).toEqual(['1', '"two"']);
    // A timer already cancelled when it is scheduled keeps its id but sends no TimerFired.
    expect(decisions.orchestrationMessages.some((m) => m.event.EventType === EventType.TimerFired)).toBe(false);
    const call = decisions.events[4];
    expect(JSON.parse(call?.Input ?? '{}')).toEqual({
      id: 'request-1',
      op: 'get',
      parent: 'instance-1',
      parentExecution: 'e1',
    });
    const signal = decisions.orchestrationMessages.find((m) => m.instanceId === '@counter@c1');
    expect(JSON.parse(signal?.event.Input ?? '{}')).toMatchObject({ op: 'add', signal: true, input: '5' });
    const child = decisions.orchestrationMessages.find((m) => m.event.EventType === EventType.ExecutionStarted);
    expect(child?.instanceId).toBe('e1:5');
    expect(child?.event.ParentInstance).toMatchObject({
      TaskScheduleId: 5,
      OrchestrationInstance: { InstanceId: 'instance-1' },
    });
  });

  it('takes a timer id and a new call id for a 202 with Location, and polls after the timer fires', () => {
    const polling = fixture('http-polling');
    const first = decideFor(polling, '2026-01-01T00:00:01.000Z');
    expect(first.events).toEqual([
      expect.objectContaining({ EventType: EventType.TimerCreated, EventId: 1, FireAt: '2026-01-01T00:00:03.000Z' }),
    ]);
    const at = '2026-01-01T00:00:03.000Z';
    const history = [
      ...polling.history,
      ...first.events,
      { EventType: EventType.OrchestratorCompleted, EventId: -1, IsPlayed: false, Timestamp: at },
      { EventType: EventType.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: at },
      { EventType: EventType.TimerFired, EventId: -1, IsPlayed: false, Timestamp: at, TimerId: 1 },
    ] as HistoryEvent[];
    const second = decideFor({ actions: polling.actions, history }, at);
    expect(second.events).toEqual([expect.objectContaining({ EventType: EventType.TaskScheduled, EventId: 2 })]);
    expect(JSON.parse(second.activityMessages[0]?.event.Input ?? '{}')).toMatchObject({
      method: 'GET',
      uri: 'http://svc/jobs/7',
    });
  });

  it('takes one id for a lock request and one per entity for its release (schema V4)', () => {
    const actions: SdkAction[] = [
      {
        actionType: 13,
        lockRequestId: 'lock-1',
        lockSet: [
          { name: 'Account', key: 'a' },
          { name: 'account', key: 'b' },
        ],
      },
      { actionType: 7, instanceId: '@account@a', operation: 'get' },
      { actionType: 14 },
      { actionType: 0, functionName: 'after', input: null },
    ];
    const decisions = decideFor({ actions, history: fixture('fan-out-entities').history }, '2026-01-01T00:00:00.000Z');
    expect(decisions.events.map((e) => [e.EventType, e.EventId, e.InstanceId ?? e.Name, e.Name])).toEqual([
      [EventType.EventSent, 0, '@account@a', 'lock'],
      [EventType.EventSent, 1, '@account@a', 'get'],
      [EventType.EventSent, 2, '@account@a', 'release'],
      [EventType.EventSent, 3, '@account@b', 'release'],
      [EventType.TaskScheduled, 4, 'after', 'after'],
    ]);
    expect(JSON.parse(decisions.events[0]?.Input ?? '{}')).toMatchObject({
      id: 'lock-1',
      lockset: ['@account@a', '@account@b'],
      position: 0,
    });
  });

  it('reports non-determinism naming the instance, the recorded and the new action', () => {
    const saga = fixture('retry-saga');
    const changed: SdkAction[] = [{ actionType: 0, functionName: 'refund', input: null }];
    expect(() => TaskLedger.build('saga-1', saga.history, changed, 30_000)).toThrow(NonDeterminismError);
    expect(() => TaskLedger.build('saga-1', saga.history, changed, 30_000)).toThrow(
      /instance 'saga-1'.*task id 0.*CallActivity 'chargePayment'.*CallActivity 'refund'/,
    );
    expect(() => TaskLedger.build('saga-1', saga.history, [], 30_000)).toThrow(/scheduled nothing/);
  });

  it('backs off by the coefficient and caps the delay at the maximum interval', () => {
    const action: SdkAction = {
      actionType: 1,
      retryOptions: {
        firstRetryIntervalInMilliseconds: 1000,
        maxNumberOfAttempts: 5,
        backoffCoefficient: 3,
        maxRetryIntervalInMilliseconds: 5000,
      },
    };
    const delays = [2, 3, 4].map((attempt) => retryDelayMs({ action, attempt }, false));
    expect(delays).toEqual([1000, 3000, 5000]);
    expect(retryDelayMs({ action, attempt: 6 }, true)).toBe(0);
  });
});
