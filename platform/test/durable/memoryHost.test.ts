import { EventType, type HistoryEvent } from '../../src/durable/backend/types';
import { startDurableTestHost, type DurableTestHost } from '../../src/testing/durableTestHost';
import { prepareApp } from '../helpers/testHost';

const day = 24 * 60 * 60 * 1000;

function output(instance: { output?: string }): unknown {
  return JSON.parse(instance.output ?? 'null');
}

function summary(history: HistoryEvent[]): string[] {
  const names = Object.fromEntries(Object.entries(EventType).map(([name, value]) => [value, name]));
  return history
    .filter((e) => e.EventType !== EventType.OrchestratorStarted && e.EventType !== EventType.OrchestratorCompleted)
    .map((e) => `${names[e.EventType]}:${e.EventId >= 0 ? e.EventId : (e.TaskScheduledId ?? e.TimerId ?? '')}`);
}

describe('the Durable engine on the in-memory task hub with the real durable-functions SDK', () => {
  let app: { appDir: string; remove(): void };
  let durable: DurableTestHost;

  beforeAll(async () => {
    app = prepareApp('durable-app', { hostJson: { extensions: { durableTask: { hubName: 'MemoryHub' } } } });
    durable = await startDurableTestHost({ appDir: app.appDir });
  });

  afterAll(async () => {
    await durable?.stop();
    app?.remove();
  });

  it('runs a sequence of activities to completion with their results in order', async () => {
    const id = await durable.startNew('sequence');
    const done = await durable.waitForCompletion(id);
    expect(done.runtimeStatus).toBe('Completed');
    expect(output(done)).toEqual(['Hello Tokyo!', 'Hello Seattle!', 'Hello London!']);
    expect(summary(await durable.history(id))).toEqual([
      'ExecutionStarted:',
      'TaskScheduled:0',
      'TaskCompleted:0',
      'TaskScheduled:1',
      'TaskCompleted:1',
      'TaskScheduled:2',
      'TaskCompleted:2',
      'ExecutionCompleted:',
    ]);
  });

  it('fans out to many activities and fans in their results', async () => {
    const id = await durable.startNew('fanOutFanIn', 50);
    const done = await durable.waitForCompletion(id);
    expect(output(done)).toBe(50 * 51);
  });

  it('retries a failing activity with back-off timers, then succeeds', async () => {
    const id = await durable.startNew('retrySaga', { id: 'order-retry-ok', amount: 10, failTimes: 2, maxAttempts: 3 });
    const done = await durable.waitForCompletion(id);
    expect(output(done)).toEqual({ status: 'charged', payment: { charged: 10, attempts: 3 } });
    const history = await durable.history(id);
    expect(summary(history)).toEqual([
      'ExecutionStarted:',
      'TaskScheduled:0',
      'TaskFailed:0',
      'TimerCreated:1',
      'TimerFired:1',
      'TaskScheduled:2',
      'TaskFailed:2',
      'TimerCreated:3',
      'TimerFired:3',
      'TaskScheduled:4',
      'TaskCompleted:4',
      'ExecutionCompleted:',
    ]);
    const timers = history.filter((e) => e.EventType === EventType.TimerCreated);
    const delays = timers.map((t) => Date.parse(t.FireAt ?? '') - Date.parse(t.Timestamp));
    expect(delays).toEqual([1000, 2000]);
  });

  it('compensates after the last retry fails, once the trailing timer has fired', async () => {
    const id = await durable.startNew('retrySaga', { id: 'order-retry-fail', amount: 5, failTimes: 9, maxAttempts: 2 });
    const done = await durable.waitForCompletion(id);
    expect(output(done)).toMatchObject({ status: 'compensated', compensation: 'released order-retry-fail' });
    expect((output(done) as { error: string }).error).toContain('card declined (attempt 2)');
    expect(summary(await durable.history(id))).toEqual([
      'ExecutionStarted:',
      'TaskScheduled:0',
      'TaskFailed:0',
      'TimerCreated:1',
      'TimerFired:1',
      'TaskScheduled:2',
      'TaskFailed:2',
      'TimerCreated:3',
      'TimerFired:3',
      'TaskScheduled:4',
      'TaskCompleted:4',
      'ExecutionCompleted:',
    ]);
  });

  it('runs sub-orchestrations with a given and a generated instance id', async () => {
    const id = await durable.startNew('parent', undefined, 'parent-1');
    const done = await durable.waitForCompletion(id);
    expect(output(done)).toEqual({
      named: ['Hello Tokyo!', 'Hello Seattle!', 'Hello London!'],
      generated: { input: { from: 'parent' }, parent: 'parent-1' },
    });
    const child = await durable.status('parent-1-child');
    expect(child?.runtimeStatus).toBe('Completed');
    expect(child?.parentInstanceId).toBe('parent-1');
    const created = (await durable.history(id)).filter(
      (e) => e.EventType === EventType.SubOrchestrationInstanceCreated,
    );
    expect(created[1]?.InstanceId).toBe(`${done.executionId}:1`);
  });

  it('reports a failed sub-orchestration to its parent as a catchable error', async () => {
    const done = await durable.waitForCompletion(await durable.startNew('failingChildParent'));
    expect(output(done)).toEqual(expect.stringContaining('caught:'));
    expect(output(done)).toEqual(expect.stringContaining('failingActivity refused: child'));
  });

  it('completes a seven-day timer at once on the virtual clock', async () => {
    const started = Date.now();
    const id = await durable.startNew('sleeper', 7);
    const done = await durable.waitForCompletion(id);
    expect(output(done)).toBe('woke after 7 days');
    expect(Date.now() - started).toBeLessThan(1000);
    const timer = (await durable.history(id)).find((e) => e.EventType === EventType.TimerCreated);
    expect(Date.parse(timer?.FireAt ?? '') - Date.parse(timer?.Timestamp ?? '')).toBe(7 * day);
  });

  it('lets an external event win a Task.any against a timer', async () => {
    const id = await durable.startNew('approval', { days: 3 });
    await durable.waitForIdle();
    await durable.raiseEvent(id, 'Approval', { by: 'alice' });
    const done = await durable.waitForCompletion(id);
    expect(output(done)).toEqual({ approved: { by: 'alice' } });
  });

  it('lets the timer win a Task.any when no event arrives', async () => {
    const id = await durable.startNew('approval', { days: 3 });
    await durable.waitForIdle();
    await durable.advance(3 * day + 1);
    const done = await durable.waitForCompletion(id);
    expect(output(done)).toEqual({ approved: false, reason: 'timeout' });
  });

  it('buffers an event that arrives before the orchestration waits for it', async () => {
    const id = await durable.startNew('twoEvents');
    await durable.waitForIdle();
    await durable.raiseEvent(id, 'second', 2);
    await durable.waitForIdle();
    await durable.raiseEvent(id, 'first', 1);
    expect(output(await durable.waitForCompletion(id))).toEqual([1, 2]);
  });

  it('continues as new with fresh history and carries over an event raised meanwhile', async () => {
    const id = await durable.startNew('loop', 0);
    await durable.raiseEvent(id, 'done', 'finally');
    const done = await durable.waitForCompletion(id);
    expect(output(done)).toEqual({ n: 3, event: 'finally' });
    expect(done.generation).toBe(3);
    const history = await durable.history(id);
    expect(history.filter((e) => e.EventType === EventType.ExecutionStarted)).toHaveLength(1);
    expect(history.find((e) => e.EventType === EventType.ExecutionStarted)?.Input).toBe('3');
  });

  it('continues as new from the episode that received an activity result', async () => {
    const id = await durable.startNew('activityLoop', 0);
    const done = await durable.waitForCompletion(id);
    expect(output(done)).toEqual({ n: 2, greeting: 'Hello round 2!' });
    expect(done.generation).toBe(2);
    expect(summary(await durable.history(id))).toEqual([
      'ExecutionStarted:',
      'TaskScheduled:0',
      'TaskCompleted:0',
      'ExecutionCompleted:',
    ]);
  });

  it('signals and calls an entity, keeping its state between operations', async () => {
    const id = await durable.startNew('counterUser', 'c1');
    const done = await durable.waitForCompletion(id);
    expect(output(done)).toEqual({ value: 6, after: 6 });
    expect(await durable.client.readEntityState({ name: 'counter', key: 'c1' })).toMatchObject({ state: '6' });
  });

  it('advertises replay schema V3 by default, so context.df.lock fails with the SDK error', async () => {
    const done = await durable.waitForCompletion(await durable.startNew('forgetfulLocker', 'acc-v3'));
    expect(done.runtimeStatus).toBe('Failed');
    expect(output(done)).toEqual(
      expect.stringContaining('lock requires a Durable Functions extension that supports OOProc schema V4'),
    );
  });

  it('fails the orchestration with the activity error when an activity throws', async () => {
    const done = await durable.waitForCompletion(await durable.startNew('failingOrchestration', 'no stock'));
    expect(done.runtimeStatus).toBe('Failed');
    expect(output(done)).toEqual(expect.stringContaining("Activity function 'failingActivity' failed"));
    expect(output(done)).toEqual(expect.stringContaining('failingActivity refused: no stock'));
  });

  it('fails the orchestration with the thrown message and keeps its custom status', async () => {
    const done = await durable.waitForCompletion(await durable.startNew('throwing'));
    expect(done.runtimeStatus).toBe('Failed');
    expect(output(done)).toBe("Orchestrator function 'throwing' failed: orchestrator gave up");
    expect(JSON.parse(done.customStatus ?? 'null')).toEqual({ stage: 'before-throw' });
  });

  it('detects a non-deterministic orchestrator and names the instance, expected and actual action', async () => {
    const id = await durable.startNew('nonDeterministic', undefined, 'nd-1');
    const done = await durable.waitForCompletion(id);
    expect(done.runtimeStatus).toBe('Failed');
    const message = output(done) as string;
    expect(message).toContain("instance 'nd-1'");
    expect(message).toContain("CallActivity 'sayHello'");
    expect(message).toContain("CallActivity 'double'");
  });

  it('rewinds a failed orchestration: the failed activity runs again, completed work is kept', async () => {
    const id = await durable.startNew('chargeOnce', { id: 'order-rewind', amount: 3, failTimes: 1 });
    expect((await durable.waitForCompletion(id)).runtimeStatus).toBe('Failed');
    await durable.client.rewind(id, 'card replaced');
    await durable.waitForIdle();
    const done = await durable.waitForCompletion(id);
    expect(done.runtimeStatus).toBe('Completed');
    expect(output(done)).toEqual({ greeting: 'Hello buyer!', payment: { charged: 3, attempts: 2 } });
    const scheduled = (await durable.history(id)).filter((e) => e.EventType === EventType.TaskScheduled);
    expect(scheduled.map((e) => e.Name)).toEqual(['sayHello', 'chargePayment']);
  });

  it('fails an orchestrator that does not return the SDK state, with a message that says why', async () => {
    const done = await durable.waitForCompletion(await durable.startNew('rawOrchestrator'));
    expect(done.runtimeStatus).toBe('Failed');
    expect(output(done)).toEqual(expect.stringContaining('df.app.orchestration'));
  });

  it('reports custom status while the orchestration waits', async () => {
    const id = await durable.startNew('statusReporter');
    await durable.waitForIdle();
    expect(JSON.parse((await durable.status(id))?.customStatus ?? 'null')).toEqual({ stage: 'waiting' });
    await durable.raiseEvent(id, 'go', true);
    const done = await durable.waitForCompletion(id);
    expect(JSON.parse(done.customStatus ?? 'null')).toEqual({ stage: 'done', go: true });
  });

  it('stores and returns a payload of several megabytes intact', async () => {
    const big = { blob: 'x'.repeat(3 * 1024 * 1024), n: 1 };
    const done = await durable.waitForCompletion(await durable.startNew('echoLarge', big));
    expect(output(done)).toEqual(big);
  });

  it('logs the orchestration lifecycle once, with instance id, name and duration', async () => {
    const id = await durable.startNew('sequence');
    await durable.waitForCompletion(id);
    const lifecycle = durable.logs.filter((r) => r.fields.instanceId === id && r.message.startsWith('Orchestration'));
    expect(lifecycle.map((r) => r.message)).toEqual(['Orchestration started', 'Orchestration completed']);
    expect(lifecycle[1]?.fields.name).toBe('sequence');
    expect(typeof lifecycle[1]?.fields.durationMs).toBe('number');
  });
});
