import { EventType } from '../../src/durable/backend/types';
import type { DurableTestHost } from '../../src/testing/durableTestHost';
import { startDurableApp, type DurableApp } from './durableApp';

function output(instance: { output?: string }): unknown {
  return JSON.parse(instance.output ?? 'null');
}

describe('the Durable engine on the Azure Storage task hub (Azurite), real time', () => {
  let app: DurableApp | undefined;
  let durable: DurableTestHost;

  beforeAll(async () => {
    app = await startDurableApp({
      fixture: 'durable-app',
      hubName: `Engine${Date.now().toString(36)}`,
      backend: 'azureStorage',
      logLevel: 'Warning',
      virtualClock: false,
      replaySchema: 'V4',
    });
    durable = app.durable;
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('retries with back-off, then compensates, with the retry history the SDK needs', async () => {
    const id = await durable.startNew('retrySaga', { id: 'az-saga', amount: 5, failTimes: 9, maxAttempts: 2 });
    const done = await durable.waitForCompletion(id, { timeoutMs: 30_000 });
    expect(output(done)).toMatchObject({ status: 'compensated', compensation: 'released az-saga' });
    const types = (await durable.history(id)).map((e) => e.EventType);
    expect(types.filter((t) => t === EventType.TimerFired)).toHaveLength(2);
  }, 40_000);

  it('runs sub-orchestrations, external events, continue-as-new and entity calls', async () => {
    const parent = await durable.startNew('parent', undefined, 'az-parent');
    const loop = await durable.startNew('loop', 0);
    const counter = await durable.startNew('counterUser', 'az-c');
    await durable.raiseEvent(loop, 'done', 'az');
    const wait = (id: string) => durable.waitForCompletion(id, { timeoutMs: 30_000 });
    const [p, l, c] = await Promise.all([wait(parent), wait(loop), wait(counter)]);
    expect(output(p)).toMatchObject({ generated: { input: { from: 'parent' }, parent: 'az-parent' } });
    expect(output(l)).toEqual({ n: 3, event: 'az' });
    expect(output(c)).toEqual({ value: 6, after: 6 });
  }, 40_000);

  it('serialises critical sections over entities across the queues', async () => {
    await durable.client.signalEntity({ name: 'counter', key: 'az-a' }, 'add', '100');
    const ids = await Promise.all(
      Array.from({ length: 4 }, () => durable.startNew('transfer', { from: 'az-a', to: 'az-b', amount: 30 })),
    );
    const results = await Promise.all(ids.map((id) => durable.waitForCompletion(id, { timeoutMs: 30_000 })));
    expect(results.filter((r) => (output(r) as { moved: boolean }).moved)).toHaveLength(3);
    expect(await durable.client.readEntityState({ name: 'counter', key: 'az-a' })).toMatchObject({ state: '10' });
  }, 40_000);

  it('fails on activity errors and non-determinism with their messages, and keeps a large payload intact', async () => {
    const failing = await durable.startNew('failingOrchestration', 'az');
    const nonDeterministic = await durable.startNew('nonDeterministic', undefined, 'az-nd');
    const big = { blob: 'z'.repeat(2 * 1024 * 1024) };
    const large = await durable.startNew('echoLarge', big);
    const wait = (id: string) => durable.waitForCompletion(id, { timeoutMs: 30_000 });
    const [f, n, g] = await Promise.all([wait(failing), wait(nonDeterministic), wait(large)]);
    expect(output(f)).toEqual(expect.stringContaining('failingActivity refused: az'));
    expect(n.runtimeStatus).toBe('Failed');
    expect(output(n)).toEqual(expect.stringContaining("instance 'az-nd'"));
    expect(output(g)).toEqual(big);
  }, 40_000);
});
