import type { LogRecord } from '../../../src/host/logger';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { startTestAzurite } from '../../helpers/testHost';
import { receiveJson, sendJson, startQueueApp, type QueueApp } from './queueTestApp';

/** The most invocations of one function that were running at the same moment, from the executor's log lines. */
function peakConcurrency(logs: LogRecord[], functionName: string): number {
  let running = 0;
  let peak = 0;
  for (const record of logs.filter((r) => r.fields.function === functionName)) {
    if (record.message === 'Executing function') {
      peak = Math.max(peak, ++running);
    } else if (record.message === 'Executed function' || record.message === 'Function failed') {
      running--;
    }
  }
  return peak;
}

describe('queue trigger concurrency', () => {
  let azurite: EmbeddedAzurite;
  let app: QueueApp;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    app = await startQueueApp(azurite, {
      hostJson: {
        extensions: { queues: { batchSize: 2, newBatchThreshold: 1 } },
        concurrency: { dynamicConcurrencyEnabled: true },
      },
    });
  });

  afterAll(async () => {
    await app?.stop();
    await azurite?.close();
  });

  it('runs at most batchSize + newBatchThreshold messages of one function at once, even with dynamic concurrency on', async () => {
    const queue = app.queue(app.names.SlowQueue);
    await Promise.all(Array.from({ length: 8 }, (_, i) => sendJson(queue, { id: `m${i}`, ms: 400 })));

    const results = await receiveJson<{ id: string }>(app.queue(app.names.SlowOutQueue), 8);

    expect(results.map((r) => r.id).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    expect(peakConcurrency(app.logs, 'slow')).toBeLessThanOrEqual(3);
    expect(peakConcurrency(app.logs, 'slow')).toBeGreaterThanOrEqual(2);
  });

  it('says that dynamic concurrency is not supported locally and keeps the static limits', () => {
    const warnings = app.logs.filter((r) => r.message.startsWith('Dynamic concurrency is not supported locally'));

    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields.setting).toBe('concurrency.dynamicConcurrencyEnabled');
  });
});
