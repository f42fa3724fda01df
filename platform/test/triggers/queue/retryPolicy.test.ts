import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { startTestAzurite } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';
import { logsOf, receiveJson, sendJson, startQueueApp, type QueueApp } from './queueTestApp';

interface RetryReport {
  label: string;
  id: string;
  retryContext: { retryCount: number; maxRetryCount: number; exception?: { message?: string } };
}

describe('function retry policies on a queue function', () => {
  let azurite: EmbeddedAzurite;
  let app: QueueApp;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    app = await startQueueApp(azurite);
  });

  afterAll(async () => {
    await app?.stop();
    await azurite?.close();
  });

  it('warns at start-up that queue triggers do not support retry policies, yet keeps the policy', () => {
    const warnings = logsOf(
      app.logs,
      'Retry policies are not supported for queue triggers; maxDequeueCount is the retry mechanism',
    );

    expect(warnings.map((w) => w.fields.function).sort()).toEqual(['retryExponential', 'retryFixed']);
  });

  it('retries a failing invocation with fixedDelay and hands the handler the retry context', async () => {
    await sendJson(app.queue(app.names.RetryFixedQueue), { id: 'fixed-1' });

    const [report] = await receiveJson<RetryReport>(app.queue(app.names.RetryOutQueue));

    expect(report?.label).toBe('fixed');
    expect(report?.retryContext).toMatchObject({
      retryCount: 2,
      maxRetryCount: 2,
      exception: { message: 'fixed attempt 1 failed' },
    });
    expect(logsOf(app.logs, 'Executing function', 'retryFixed')).toHaveLength(3);
    const retries = logsOf(app.logs, 'Function failed; retrying', 'retryFixed');
    expect(retries.map((r) => [r.fields.retryCount, r.fields.delayMs])).toEqual([
      [1, 1000],
      [2, 1000],
    ]);
  });

  it('retries with exponentialBackoff, the delay doubling from the minimum within ±20% and capped at the maximum', async () => {
    await sendJson(app.queue(app.names.RetryExponentialQueue), { id: 'exp-1' });

    const [report] = await receiveJson<RetryReport>(app.queue(app.names.RetryOutQueue));

    expect(report?.label).toBe('exponential');
    expect(report?.retryContext).toMatchObject({ retryCount: 2, maxRetryCount: 2 });
    expect(report?.retryContext.exception?.message).toBe('exponential attempt 1 failed');
    const delays = logsOf(app.logs, 'Function failed; retrying', 'retryExponential').map((r) =>
      Number(r.fields.delayMs),
    );
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(800);
    expect(delays[0]).toBeLessThanOrEqual(1200);
    expect(delays[1]).toBeGreaterThanOrEqual(1600);
    expect(delays[1]).toBeLessThanOrEqual(2000);
  });

  it('deletes the message once a retry succeeded, so the dequeue count never grows', async () => {
    const queue = app.queue(app.names.RetryFixedQueue);

    await waitFor('the retried message to be deleted', async () => {
      return (await queue.getProperties()).approximateMessagesCount === 0;
    });
    expect(logsOf(app.logs, 'Moving message to poison queue', 'retryFixed')).toHaveLength(0);
  });
});
