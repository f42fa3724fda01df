import type { DurableTestHost } from '../../src/testing/durableTestHost';
import { waitFor } from '../helpers/waitFor';
import { startDurableApp, type DurableApp } from './durableApp';

describe('a suspended orchestration on the in-memory task hub with a virtual clock', () => {
  let app: DurableApp | undefined;
  let durable: DurableTestHost;

  beforeAll(async () => {
    // Debug, so every message the engine handles for an instance shows up in the log.
    app = await startDurableApp({ fixture: 'durable-retry-suspend-app', hubName: 'SuspendedHub', logLevel: 'Debug' });
    durable = app.durable;
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** Log records the engine wrote about the instance (work items, episodes, parked messages). */
  const engineRecords = (instanceId: string) =>
    durable.logs.filter((r) => r.category.startsWith('Host.Triggers.DurableTask') && r.fields.instanceId === instanceId)
      .length;
  const orchestratorInvocations = () =>
    durable.logs.filter((r) => r.message === 'Executing function' && r.fields.function === 'collectItems').length;

  const startSuspended = async (instanceId: string): Promise<void> => {
    await durable.startNew('collectItems', undefined, instanceId);
    await waitFor('the orchestration to wait for items', async () => (await durable.status(instanceId))?.customStatus);
    await durable.client.suspend(instanceId, 'hold on');
    await waitFor('the suspension', async () => (await durable.status(instanceId))?.runtimeStatus === 'Suspended');
  };

  it('parks raised events without touching them again until a resume, then applies them in order', async () => {
    const id = 'suspended-1';
    await startSuspended(id);
    for (const item of ['a', 'b', 'c']) {
      await durable.raiseEvent(id, 'item', item);
    }
    await durable.waitForIdle();
    const records = engineRecords(id);
    const invocations = orchestratorInvocations();

    await durable.advance(10_000, { stepMs: 1_000 });

    expect(engineRecords(id)).toBe(records);
    expect(orchestratorInvocations()).toBe(invocations);
    expect((await durable.status(id))?.runtimeStatus).toBe('Suspended');

    await durable.client.resume(id, 'carry on');
    const done = await durable.waitForCompletion(id);
    expect(done.runtimeStatus).toBe('Completed');
    expect(JSON.parse(done.output ?? 'null')).toEqual(['a', 'b', 'c']);
  });

  it('drops the parked events when a suspended instance is terminated', async () => {
    const id = 'suspended-2';
    await startSuspended(id);
    await durable.raiseEvent(id, 'item', 'x');
    await durable.waitForIdle();

    await durable.client.terminate(id, 'not needed');
    const done = await durable.waitForCompletion(id);

    expect(done.runtimeStatus).toBe('Terminated');
    await durable.waitForIdle();
    expect(durable.logs.some((r) => r.message === 'Message discarded' && r.fields.instanceId === id)).toBe(true);
  });
});

describe('a suspended orchestration on the Azure Storage task hub (Azurite)', () => {
  let app: DurableApp | undefined;
  let durable: DurableTestHost;

  beforeAll(async () => {
    app = await startDurableApp({
      fixture: 'durable-retry-suspend-app',
      hubName: `Suspended${Date.now().toString(36)}`,
      backend: 'azureStorage',
      logLevel: 'Debug',
      virtualClock: false,
    });
    durable = app.durable;
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('parks raised events in the control queue and applies them in order after the resume', async () => {
    const id = 'suspended-azure';
    await durable.startNew('collectItems', undefined, id);
    await waitFor('the orchestration to wait for items', async () => (await durable.status(id))?.customStatus);
    await durable.client.suspend(id, 'hold on');
    await waitFor('the suspension', async () => (await durable.status(id))?.runtimeStatus === 'Suspended');
    for (const item of ['a', 'b', 'c']) {
      await durable.raiseEvent(id, 'item', item);
    }
    // Each arrival brings the parked ones back with it once: 1 + 2 + 3 parkings.
    const parkings = () => durable.logs.filter((r) => r.message === 'Message parked' && r.fields.instanceId === id);
    await waitFor('all three events to be parked', () => Promise.resolve(parkings().length >= 6));

    await durable.client.resume(id, 'carry on');
    const done = await durable.waitForCompletion(id, { timeoutMs: 20_000 });

    expect(JSON.parse(done.output ?? 'null')).toEqual(['a', 'b', 'c']);
    expect(durable.logs.filter((r) => r.message === 'Message deferred' && r.fields.instanceId === id)).toEqual([]);
  }, 40_000);
});
