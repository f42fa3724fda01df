import type { DurableTestHost } from '../../src/testing/durableTestHost';
import { waitFor } from '../helpers/waitFor';
import { startDurableApp, type DurableApp } from './durableApp';

describe('a timer trigger starting an orchestration under the virtual clock', () => {
  let app: DurableApp | undefined;
  let durable: DurableTestHost;

  beforeAll(async () => {
    // The timer trigger keeps its schedule status and lock in blob storage, so the app gets an Azurite.
    app = await startDurableApp({
      fixture: 'durable-timer-app',
      hubName: 'TimerHub',
      azurite: true,
      startTime: new Date('2026-03-01T12:00:00Z'),
    });
    durable = app.durable;
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('runs the nightly batch when the test advances past 02:00, including its one-hour durable timer', async () => {
    const before = await durable.client.query({ instanceIdPrefix: 'nightly-' });
    expect(before.instances).toHaveLength(0);

    // The timer listener takes its blob lock over real I/O before it sleeps on the clock: move in steps.
    await durable.advance(15 * 60 * 60 * 1000, { stepMs: 30 * 60 * 1000 });
    const started = await waitFor('the nightly orchestration to start', async () => {
      const page = await durable.client.query({ instanceIdPrefix: 'nightly-' });
      return page.instances[0];
    });
    const done = await durable.waitForCompletion(started.instanceId);
    expect(done.runtimeStatus).toBe('Completed');
    expect(JSON.parse(done.output ?? 'null')).toEqual(['part 1 done', 'part 2 done', 'part 3 done']);
  });
});
