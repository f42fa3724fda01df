import { fromActivityReturnValue, toActivityTrigger } from '../../src/durable/activities/activityConverters';
import { EventType, type HistoryEvent, type InstanceState } from '../../src/durable/backend/types';
import { DurableArgumentError } from '../../src/durable/client/errors';
import { validateInstanceId } from '../../src/durable/client/instanceIds';
import { fromEntityReturnValue, toEntityTrigger } from '../../src/durable/entities/entityBatch';
import { fromEntityInstanceId, toEntityInstanceId } from '../../src/durable/entities/entityId';
import { toClientBindingData, toManagementPayload } from '../../src/durable/http/managementLinks';
import { toHistoryEventsPayload, toStatusPayload } from '../../src/durable/http/statusPayload';
import { triage } from '../../src/durable/orchestration/messageTriage';
import { OrchestratorResultError } from '../../src/durable/replay/errors';
import { fromOrchestratorInvocation, toOrchestrationTrigger } from '../../src/durable/replay/orchestratorPayload';

const at = '2026-01-01T00:00:00.000Z';
const event = (type: HistoryEvent['EventType'], fields: Partial<HistoryEvent> = {}, id = -1): HistoryEvent => ({
  EventType: type,
  EventId: id,
  IsPlayed: false,
  Timestamp: at,
  ...fields,
});

describe('wire converters of the Durable engine', () => {
  it('builds the orchestration trigger with the keys the SDK requires and past events marked played', () => {
    const history = [
      event(EventType.OrchestratorStarted),
      event(EventType.ExecutionStarted),
      event(EventType.OrchestratorStarted),
    ];
    const trigger = toOrchestrationTrigger({
      instanceId: 'i1',
      parentInstanceId: undefined,
      input: { a: 1 },
      history,
      episodeStart: 2,
      httpPollingDelayMs: 30_000,
      replaySchema: 'V3',
    });
    const payload = JSON.parse(trigger.string ?? '{}') as Record<string, unknown>;
    expect(payload).toMatchObject({
      instanceId: 'i1',
      input: { a: 1 },
      isReplaying: true,
      parentInstanceId: null,
      upperSchemaVersion: 1,
      upperSchemaVersionNew: 2,
      maximumShortTimerDuration: '36500.00:00:00',
      longRunningTimerIntervalDuration: '3.00:00:00',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
    });
    expect((payload.history as HistoryEvent[]).map((e) => e.IsPlayed)).toEqual([true, true, false]);
  });

  it('reads the orchestrator state from a success and from the $OutOfProcData$ label of a failure', () => {
    const ids = { instanceId: 'i1', functionName: 'orch' };
    const state = { isDone: false, actions: [[]], schemaVersion: 2 };
    expect(fromOrchestratorInvocation(ids, { succeeded: true, returnValue: { json: JSON.stringify(state) } })).toEqual({
      kind: 'state',
      state,
    });
    const failed = fromOrchestratorInvocation(ids, {
      succeeded: false,
      error: new Error(`false\n\n$OutOfProcData$:${JSON.stringify({ ...state, error: 'boom', customStatus: 's' })}`),
    });
    expect(failed).toMatchObject({ kind: 'failed', message: 'boom', state: { customStatus: 's' } });
    expect(fromOrchestratorInvocation(ids, { succeeded: false, error: new Error('replay broke') })).toMatchObject({
      kind: 'failed',
      message: 'replay broke',
      state: undefined,
    });
    expect(() => fromOrchestratorInvocation(ids, { succeeded: true, returnValue: { json: '{"hello":1}' } })).toThrow(
      OrchestratorResultError,
    );
  });

  it('passes activity inputs as JSON and stores activity results as JSON text', () => {
    expect(toActivityTrigger('"hello"')).toEqual({ json: '"hello"' });
    expect(toActivityTrigger('null')).toEqual({});
    expect(fromActivityReturnValue({ json: '{"a":1}' })).toBe('{"a":1}');
    expect(fromActivityReturnValue({ string: 'hello' })).toBe('"hello"');
    expect(fromActivityReturnValue({ int: 3 })).toBe('3');
    expect(fromActivityReturnValue(undefined)).toBe('null');
  });

  it('builds entity batches and reads their results', () => {
    const trigger = toEntityTrigger({ name: 'counter', key: 'c1' }, { exists: true, state: '10' }, [
      { name: 'add', input: '5', isSignal: true },
    ]);
    expect(JSON.parse(trigger.string ?? '{}')).toEqual({
      self: { name: 'counter', key: 'c1' },
      exists: true,
      state: '10',
      batch: [{ name: 'add', input: '5', isSignal: true }],
    });
    const result = { entityExists: true, entityState: '15', results: [{ isError: false, duration: 0 }] };
    expect(fromEntityReturnValue({ json: JSON.stringify(result) })).toEqual({ ...result, signals: [] });
    expect(fromEntityReturnValue({ json: '{"nope":true}' })).toBeUndefined();
    expect(toEntityInstanceId({ name: 'Counter', key: 'k@1' })).toBe('@counter@k@1');
    expect(fromEntityInstanceId('@counter@k@1')).toEqual({ name: 'counter', key: 'k@1' });
    expect(fromEntityInstanceId('plain')).toBeUndefined();
  });

  it('shapes status JSON and history as the HTTP API shows them', () => {
    const instance: InstanceState = {
      instanceId: 'i1',
      name: 'orch',
      executionId: 'e1',
      runtimeStatus: 'Completed',
      input: '{"a":1}',
      output: '"done"',
      createdTime: '2026-01-01T00:00:00.123Z',
      lastUpdatedTime: '2026-01-01T00:00:05.999Z',
      generation: 0,
    };
    expect(toStatusPayload(instance, { showInput: false })).toEqual({
      name: 'orch',
      instanceId: 'i1',
      runtimeStatus: 'Completed',
      input: null,
      customStatus: null,
      output: 'done',
      createdTime: '2026-01-01T00:00:00Z',
      lastUpdatedTime: '2026-01-01T00:00:05Z',
    });
    const history = [
      event(EventType.OrchestratorStarted),
      event(EventType.ExecutionStarted, { Name: 'orch', Input: '1' }),
      event(EventType.TaskScheduled, { Name: 'act' }, 0),
      event(EventType.TaskCompleted, { TaskScheduledId: 0, Result: '"r"' }),
      event(EventType.ExecutionCompleted, { OrchestrationStatus: 'Completed', Result: '"done"' }),
    ];
    expect(toHistoryEventsPayload(history, true)).toEqual([
      { EventType: 'ExecutionStarted', FunctionName: 'orch', Input: 1, Timestamp: at },
      { EventType: 'TaskCompleted', FunctionName: 'act', ScheduledTime: at, Result: 'r', Timestamp: at },
      { EventType: 'ExecutionCompleted', OrchestrationStatus: 'Completed', Result: 'done', Timestamp: at },
    ]);
  });

  it('hands the SDK client binding an rpcBaseUrl with a trailing slash and INSTANCEID templates', () => {
    const context = { origin: 'http://localhost:7071', hubName: 'Hub', connectionName: 'Storage' };
    const data = toClientBindingData(context) as { rpcBaseUrl: string; managementUrls: Record<string, string> };
    expect(data.rpcBaseUrl).toBe('http://localhost:7071/runtime/webhooks/durabletask/');
    expect(data.managementUrls.id).toBe('INSTANCEID');
    expect(data.managementUrls.statusQueryGetUri).toBe(
      'http://localhost:7071/runtime/webhooks/durabletask/instances/INSTANCEID?taskHub=Hub&connection=Storage',
    );
    expect(toManagementPayload(context, 'i 1', { includeRewind: false }).terminatePostUri).toBe(
      'http://localhost:7071/runtime/webhooks/durabletask/instances/i%201/terminate?reason={text}&taskHub=Hub&connection=Storage',
    );
  });

  it('validates instance ids as the extension does', () => {
    expect(() => validateInstanceId('order-1:sub')).not.toThrow();
    for (const bad of ['', '@entity', 'a/b', 'a\\b', 'a#b', 'a?b', 'a\nb', 'x'.repeat(257)]) {
      expect(() => validateInstanceId(bad)).toThrow(DurableArgumentError);
    }
  });

  it('defers early responses, parks messages for a suspended instance, drops duplicates and older executions', () => {
    const history = [
      event(EventType.ExecutionStarted, { OrchestrationInstance: { InstanceId: 'i1', ExecutionId: 'e1' } }),
      event(EventType.TaskScheduled, { Name: 'a' }, 0),
      event(EventType.TaskCompleted, { TaskScheduledId: 0 }),
    ];
    const state = { history, status: 'Running' as const, executionId: 'e1' };
    const received = (e: HistoryEvent, executionId?: string) => ({
      messageId: 'm',
      dequeueCount: 1,
      message: { instanceId: 'i1', executionId, event: e },
    });
    expect(triage(received(event(EventType.TaskCompleted, { TaskScheduledId: 1 })), state).kind).toBe('defer');
    expect(triage(received(event(EventType.TaskCompleted, { TaskScheduledId: 0 })), state).kind).toBe('drop');
    expect(triage(received(event(EventType.TimerFired, { TimerId: 0 }), 'e0'), state).kind).toBe('drop');
    expect(triage(received(event(EventType.EventRaised, { Name: 'x' })), state).kind).toBe('apply');
    expect(triage(received(event(EventType.EventRaised)), { ...state, status: 'Suspended' }).kind).toBe('park');
    expect(
      triage(received(event(EventType.EventRaised)), { history: [], status: undefined, executionId: undefined }).kind,
    ).toBe('defer');
  });
});
