import type { EmbeddedAzurite } from '../../src/storage/azurite';
import { startDurableTestHost, type DurableTestHost } from '../../src/testing/durableTestHost';
import { prepareApp, startTestAzurite } from '../helpers/testHost';
import { waitFor } from '../helpers/waitFor';

describe('a timer trigger starting an orchestration under the virtual clock', () => {
  let azurite: EmbeddedAzurite;
  let app: { appDir: string; remove(): void };
  let durable: DurableTestHost;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    app = prepareApp('durable-timer-app', { hostJson: { extensions: { durableTask: { hubName: 'TimerHub' } } } });
    durable = await startDurableTestHost({
      appDir: app.appDir,
      env: { AzureWebJobsStorage: azurite.connectionString },
      startTime: new Date('2026-03-01T12:00:00Z'),
    });
  });

  afterAll(async () => {
    await durable?.stop();
    app?.remove();
    await azurite?.close();
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
