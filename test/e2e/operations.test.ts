import { toQueueMessageText } from '../../lib/queueMessages';
import { startLocalPlatform, waitFor, waitForJob, type JobBody, type LocalPlatform } from './platform';

let platform: LocalPlatform;

beforeAll(async () => {
  platform = await startLocalPlatform();
  // A customer without a ledger account: its orders keep retrying chargePayment (1 s, 2 s, 4 s, 8 s back-off),
  // so they stay Running long enough to terminate or signal.
  await platform.storage.table('Customers').upsertEntity({
    partitionKey: 'customer',
    rowKey: 'c-slow',
    name: 'Slow',
    email: 'c-slow@example.com',
    creditLimitCents: 100_000,
    address: JSON.stringify({ street: 's', city: 'c', postalCode: 'p', country: 'NL' }),
  });
});

afterAll(async () => {
  await platform?.stop();
});

async function order(orderId: string, customerId = 'c-alice'): Promise<void> {
  const text = JSON.stringify({ orderId, customerId, items: [{ sku: 'sku-widget', quantity: 1 }] });
  await platform.storage.queue('orders').sendMessage(toQueueMessageText(text));
}

async function waitForRunning(instanceId: string): Promise<void> {
  await waitFor(`${instanceId} to run`, async () => {
    const response = await platform.call('GET', `jobs/${instanceId}`);
    return (response.body as JobBody | undefined)?.runtimeStatus === 'Running' ? true : undefined;
  });
}

describe('the job status API', () => {
  it('shows status, custom status, output and times, with history on request', async () => {
    await order('ops-1');
    await waitForJob(platform, 'order-ops-1');

    const response = await platform.call('GET', 'jobs/order-ops-1?history=true');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      instanceId: 'order-ops-1',
      name: 'processOrder',
      runtimeStatus: 'Completed',
      customStatus: { step: 'done', progress: 100 },
      output: { status: 'completed' },
    });
    const body = response.body as { createdTime: string; lastUpdatedTime: string; history: unknown[] };
    expect(Date.parse(body.lastUpdatedTime)).toBeGreaterThanOrEqual(Date.parse(body.createdTime));
    expect(Array.isArray(body.history) && body.history.length).toBeGreaterThan(0);
  });

  it('answers 404 with a JSON error for an unknown instance', async () => {
    const response = await platform.call('GET', 'jobs/order-nope');

    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: {
        code: 'JobNotFound',
        message: "expected a job with instance id 'order-nope', found none",
        instanceId: 'order-nope',
      },
    });
  });

  it('lists jobs by status and prefix, page by page with a continuation token', async () => {
    await Promise.all(['ops-list-1', 'ops-list-2', 'ops-list-3'].map((id) => order(id)));
    await Promise.all(['ops-list-1', 'ops-list-2', 'ops-list-3'].map((id) => waitForJob(platform, `order-${id}`)));

    const first = await platform.call('GET', 'jobs?prefix=order-ops-list-&status=Completed&top=2');
    const token = (first.body as { continuationToken?: string }).continuationToken ?? '';
    const second = await platform.call(
      'GET',
      `jobs?prefix=order-ops-list-&status=Completed&top=2&continuationToken=${token}`,
    );

    const ids = (page: unknown) => (page as { jobs: { instanceId: string }[] }).jobs.map((job) => job.instanceId);
    expect([...ids(first.body), ...ids(second.body)].sort()).toEqual([
      'order-ops-list-1',
      'order-ops-list-2',
      'order-ops-list-3',
    ]);
    expect(first.headers.get('x-ms-continuation-token')).toBe(token);
    expect((second.body as { continuationToken?: string }).continuationToken).toBeUndefined();
    expect((await platform.call('GET', 'jobs?status=Sleeping')).status).toBe(400);
  });

  it('raises an event on a running job and terminates it; a finished job answers 410 and 409', async () => {
    await order('ops-slow', 'c-slow');
    await waitForRunning('order-ops-slow');

    const raised = await platform.call('POST', 'jobs/order-ops-slow/events/approval', {
      key: true,
      body: { ok: true },
    });
    const terminated = await platform.call('POST', 'jobs/order-ops-slow/terminate?reason=test', { key: true });
    const job = await waitForJob(platform, 'order-ops-slow');

    expect(raised.status).toBe(202);
    expect(terminated.status).toBe(202);
    expect(job.runtimeStatus).toBe('Terminated');
    expect((await platform.call('POST', 'jobs/order-ops-slow/terminate', { key: true })).status).toBe(409);
    expect((await platform.call('POST', 'jobs/order-ops-slow/events/approval', { key: true })).status).toBe(410);
  });

  it('refuses mutating routes without a key', async () => {
    expect((await platform.call('POST', 'jobs/order-ops-1/terminate')).status).toBe(401);
    expect((await platform.call('DELETE', 'jobs/order-ops-1')).status).toBe(401);
  });

  it('purges a finished job, after which it is gone', async () => {
    await order('ops-purge');
    await waitForJob(platform, 'order-ops-purge');

    const purged = await platform.call('DELETE', 'jobs/order-ops-purge', { key: true });

    expect(purged.status).toBe(200);
    expect(purged.body).toEqual({ instanceId: 'order-ops-purge', instancesDeleted: 1 });
    expect((await platform.call('GET', 'jobs/order-ops-purge')).status).toBe(404);
  });
});

describe('the nightly batch on demand', () => {
  it('starts one batch per date and refuses a second with 409', async () => {
    const first = await platform.call('POST', 'batches/nightly?date=2026-05-01', { key: true });
    const job = await waitForJob(platform, 'nightly-2026-05-01');
    const second = await platform.call('POST', 'batches/nightly?date=2026-05-01', { key: true });

    expect(first.status).toBe(202);
    expect(job.output).toMatchObject({ date: '2026-05-01', reportBlob: 'reports/2026-05-01.json', consistent: true });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: { code: 'BatchExists', instanceId: 'nightly-2026-05-01' } });
    expect(await platform.storage.container('reports').getBlobClient('2026-05-01.json').exists()).toBe(true);
    expect((await platform.call('POST', 'batches/nightly?date=2026-13-01', { key: true })).status).toBe(400);
  });
});

describe('health', () => {
  it('reports storage and Service Bus reachable, then 503 when Service Bus is down', async () => {
    const healthy = await platform.call('GET', 'health');
    expect(healthy.status).toBe(200);
    expect(healthy.body).toMatchObject({
      status: 'healthy',
      checks: { storage: { ok: true }, serviceBus: { ok: true } },
    });

    await platform.broker.stop();
    const unhealthy = await platform.call('GET', 'health');

    expect(unhealthy.status).toBe(503);
    expect(unhealthy.body).toMatchObject({
      status: 'unhealthy',
      checks: { storage: { ok: true }, serviceBus: { ok: false } },
    });
  });
});
