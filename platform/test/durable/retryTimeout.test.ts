import { EventType } from '../../src/durable/backend/types';
import { startDurableTestHost, type DurableTestHost } from '../../src/testing/durableTestHost';
import { prepareApp } from '../helpers/testHost';

interface RetryOutcome {
  failed: boolean;
  message?: string;
}

describe('retryTimeoutInMilliseconds with the real durable-functions SDK on a virtual clock', () => {
  let app: { appDir: string; remove(): void };
  let durable: DurableTestHost;

  beforeAll(async () => {
    app = prepareApp('durable-retry-suspend-app', {
      hostJson: { extensions: { durableTask: { hubName: 'RetryTimeoutHub' } } },
    });
    durable = await startDurableTestHost({ appDir: app.appDir });
  });

  afterAll(async () => {
    await durable?.stop();
    app?.remove();
  });

  /** Invocations of a function that started since `from` (an index into the host's log). */
  const invocations = (functionName: string, from = 0) =>
    durable.logs.slice(from).filter((r) => r.message === 'Executing function' && r.fields.function === functionName)
      .length;

  const run = async (input: object): Promise<{ outcome: RetryOutcome; attempts: number; child: number }> => {
    const logStart = durable.logs.length;
    const id = await durable.startNew('retryUntilTimeout', input);
    const done = await durable.waitForCompletion(id);
    expect(done.runtimeStatus).toBe('Completed');
    return {
      outcome: JSON.parse(done.output ?? 'null') as RetryOutcome,
      attempts: invocations('alwaysFails', logStart),
      child: invocations('failingChild', logStart),
    };
  };

  it('stops running an activity once a failure comes after the timeout, and throws its last error', async () => {
    // Failures at 0, 1, 2 and 3 s after the first attempt; the one at 3 s is past the 2.5 s timeout.
    const { outcome, attempts } = await run({ label: 'a', firstRetryMs: 1000, maxAttempts: 10, timeoutMs: 2500 });

    expect(attempts).toBe(4);
    expect(outcome.failed).toBe(true);
    expect(outcome.message).toContain('attempt failed for a');
  });

  it('records the attempts it skips after the timeout, each failing at once, so task ids stay the SDK’s', async () => {
    const id = await durable.startNew('retryUntilTimeout', {
      label: 'b',
      firstRetryMs: 1000,
      maxAttempts: 4,
      timeoutMs: 1500,
    });
    await durable.waitForCompletion(id);

    const history = await durable.history(id);
    const scheduled = history.filter((e) => e.EventType === EventType.TaskScheduled);
    const failed = history.filter((e) => e.EventType === EventType.TaskFailed);
    const timers = history.filter((e) => e.EventType === EventType.TimerCreated);
    expect(scheduled.map((e) => e.EventId)).toEqual([0, 2, 4, 6]);
    expect(failed.map((e) => e.TaskScheduledId)).toEqual([0, 2, 4, 6]);
    // Back-off 1 s after the failures at 0 s and 1 s; the failure at 2 s is past 1.5 s, so the rest fire at once.
    const delays = timers.map((e) => Date.parse(e.FireAt ?? '') - Date.parse(e.Timestamp));
    expect(delays).toEqual([1000, 1000, 0, 0]);
  });

  it('runs every attempt when the timeout is not reached', async () => {
    const { outcome, attempts } = await run({ label: 'c', firstRetryMs: 1000, maxAttempts: 3, timeoutMs: 60_000 });

    expect(attempts).toBe(3);
    expect(outcome).toMatchObject({ failed: true });
  });

  it('stops re-starting a sub-orchestration once a failure comes after the timeout', async () => {
    const { outcome, child } = await run({
      label: 'd',
      subOrchestration: true,
      firstRetryMs: 1000,
      maxAttempts: 6,
      timeoutMs: 1500,
    });

    expect(child).toBe(3);
    expect(outcome.failed).toBe(true);
    expect(outcome.message).toContain('child failed for d');
  });
});
