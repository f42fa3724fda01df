import { startDurableTestHost, type DurableTestHost } from '../../src/testing/durableTestHost';
import { prepareApp } from '../helpers/testHost';

function output(instance: { output?: string }): unknown {
  return JSON.parse(instance.output ?? 'null');
}

describe('entity critical sections with replay schema V4', () => {
  let app: { appDir: string; remove(): void };
  let durable: DurableTestHost;

  beforeAll(async () => {
    app = prepareApp('durable-app', { hostJson: { extensions: { durableTask: { hubName: 'LockHub' } } } });
    durable = await startDurableTestHost({ appDir: app.appDir, replaySchema: 'V4' });
  });

  afterAll(async () => {
    await durable?.stop();
    app?.remove();
  });

  it('serialises critical sections over entities, so concurrent transfers never overdraw', async () => {
    await durable.client.signalEntity({ name: 'counter', key: 'acc-a' }, 'add', '100');
    await durable.client.signalEntity({ name: 'counter', key: 'acc-b' }, 'add', '0');
    await durable.waitForIdle();
    const ids = await Promise.all(
      Array.from({ length: 5 }, () => durable.startNew('transfer', { from: 'acc-a', to: 'acc-b', amount: 30 })),
    );
    const results = await Promise.all(ids.map((id) => durable.waitForCompletion(id)));
    expect(results.map((r) => r.runtimeStatus)).toEqual(Array(5).fill('Completed'));
    const moved = results.map((r) => (output(r) as { moved: boolean; locked: boolean }).moved);
    expect(moved.filter(Boolean)).toHaveLength(3);
    expect(results.every((r) => (output(r) as { locked: boolean }).locked === false)).toBe(true);
    expect(await durable.client.readEntityState({ name: 'counter', key: 'acc-a' })).toMatchObject({ state: '10' });
    expect(await durable.client.readEntityState({ name: 'counter', key: 'acc-b' })).toMatchObject({ state: '90' });
  });

  it('releases the locks of an orchestration that ends inside its critical section', async () => {
    const first = await durable.waitForCompletion(await durable.startNew('forgetfulLocker', 'acc-c'));
    const second = await durable.waitForCompletion(await durable.startNew('forgetfulLocker', 'acc-c'));
    expect([output(first), output(second)]).toEqual([1, 2]);
  });
});
