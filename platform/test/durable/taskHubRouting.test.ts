import type { EmbeddedAzurite } from '../../src/storage/azurite';
import { startDurableTestHost, type DurableTestHost } from '../../src/testing/durableTestHost';
import { prepareApp, startTestAzurite } from '../helpers/testHost';
import { waitFor } from '../helpers/waitFor';

const webhooks = '/runtime/webhooks/durabletask';

interface StatusBody {
  runtimeStatus: string;
  customStatus?: unknown;
  output?: unknown;
}

describe('the Durable HTTP API serving the task hub its taskHub and connection parameters name (Azurite)', () => {
  const stamp = Date.now().toString(36);
  const hubA = `RouteA${stamp}`;
  const hubB = `RouteB${stamp}`;
  let azurite: EmbeddedAzurite;
  const apps: { remove(): void }[] = [];
  let hostA: DurableTestHost;
  let hostB: DurableTestHost;

  const startHost = async (hubName: string): Promise<DurableTestHost> => {
    const app = prepareApp('durable-hubs-app', {
      hostJson: {
        logging: { logLevel: { default: 'Warning' } },
        extensions: { durableTask: { hubName, storageProvider: { maxQueuePollingInterval: '00:00:00.200' } } },
      },
    });
    apps.push(app);
    return startDurableTestHost({
      appDir: app.appDir,
      backend: 'azureStorage',
      virtualClock: false,
      env: {
        AzureWebJobsStorage: azurite.connectionString,
        OtherStorage: azurite.connectionString,
        OtherHubName: hubB,
      },
    });
  };

  beforeAll(async () => {
    azurite = await startTestAzurite();
    // One at a time: an in-process host loads the app while its worker holds the registration window.
    hostA = await startHost(hubA);
    hostB = await startHost(hubB);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([hostA?.stop(), hostB?.stop()]);
    apps.forEach((app) => app.remove());
    await azurite?.close();
  });

  const callA = (method: string, path: string, body?: string) =>
    fetch(`${hostA.baseUrl}${webhooks}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body,
    });

  it('starts, queries and raises events on the other host’s task hub through the first host', async () => {
    const started = await callA('POST', `/orchestrators/gatherItems/route-1?taskHub=${hubB}`, '"B"');
    expect(started.status).toBe(202);
    const payload = (await started.json()) as Record<string, string>;
    expect(payload.statusQueryGetUri).toContain(`/instances/route-1?taskHub=${hubB}&connection=Storage`);

    await waitFor('the other hub to run the orchestration', async () => {
      const status = await fetch(payload.statusQueryGetUri as string);
      return status.status === 202 && ((await status.json()) as StatusBody).customStatus === 'waiting';
    });
    expect((await callA('GET', '/instances/route-1')).status).toBe(404);
    expect(await hostA.status('route-1')).toBeUndefined();
    expect((await hostB.status('route-1'))?.runtimeStatus).toBe('Running');

    for (const item of ['one', 'two']) {
      const raised = await callA('POST', `/instances/route-1/raiseEvent/item?taskHub=${hubB}`, JSON.stringify(item));
      expect(raised.status).toBe(202);
    }
    const done = await waitFor('the instance on the other hub to complete', async () => {
      const status = await callA('GET', `/instances/route-1?taskHub=${hubB}`);
      return status.status === 200 && ((await status.json()) as StatusBody);
    });
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: { hub: 'B', items: ['one', 'two'] } });

    const query = await callA('GET', `/instances?taskHub=${hubB}&instanceIdPrefix=route-`);
    expect(((await query.json()) as { instanceId: string }[]).map((s) => s.instanceId)).toEqual(['route-1']);
  }, 30_000);

  it('reaches the same task hub under another connection setting for the same storage account', async () => {
    await hostB.startNew('gatherItems', 'other-connection', 'route-2');

    const status = await callA('GET', `/instances/route-2?taskHub=${hubB}&connection=OtherStorage`);

    expect(status.status).toBe(202);
  });

  it('answers 400 naming the connection setting when it is not configured', async () => {
    const status = await callA('GET', `/instances/route-1?taskHub=${hubB}&connection=MissingStorage`);

    expect(status.status).toBe(400);
    expect(((await status.json()) as { ExceptionMessage: string }).ExceptionMessage).toContain(
      "Connection 'MissingStorage'",
    );
  });

  it('answers 400 for a task hub name the storage provider cannot hold', async () => {
    const status = await callA('GET', `/instances/route-1?taskHub=no-such_hub`);

    expect(status.status).toBe(400);
    expect(((await status.json()) as { ExceptionMessage: string }).ExceptionMessage).toContain("'no-such_hub'");
  });

  it('gives a durableClient binding the task hub and connection it names in its links', async () => {
    const response = await fetch(`${hostA.baseUrl}/api/other-hub-client`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { taskHubName: string; payload: Record<string, string> };

    expect(body.taskHubName).toBe(hubB);
    expect(body.payload.statusQueryGetUri).toContain(`/instances/abc?taskHub=${hubB}&connection=OtherStorage`);
  });
});

describe('the Durable HTTP API on the in-memory task hub', () => {
  let app: { appDir: string; remove(): void };
  let durable: DurableTestHost;

  beforeAll(async () => {
    app = prepareApp('durable-hubs-app', { hostJson: { extensions: { durableTask: { hubName: 'RouteMemory' } } } });
    durable = await startDurableTestHost({ appDir: app.appDir, virtualClock: false, env: { OtherHubName: 'Other' } });
  });

  afterAll(async () => {
    await durable?.stop();
    app?.remove();
  });

  const get = (path: string) => fetch(`${durable.baseUrl}${webhooks}${path}`);

  it('serves its own task hub whatever the case of the name and however the default connection is spelled', async () => {
    await durable.startNew('gatherItems', 'memory', 'memory-1');

    for (const query of [
      'taskHub=routememory',
      'taskHub=RouteMemory&connection=Storage',
      'connection=AzureWebJobsStorage',
    ]) {
      expect((await get(`/instances/memory-1?${query}`)).status).toBe(202);
    }
  });

  it('answers 400 with the reason for another task hub', async () => {
    const status = await get('/instances/memory-1?taskHub=Other');

    expect(status.status).toBe(400);
    expect(((await status.json()) as { ExceptionMessage: string }).ExceptionMessage).toContain(
      "The in-memory task hub serves only task hub 'RouteMemory'",
    );
  });
});
