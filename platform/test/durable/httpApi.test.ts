import { startDurableTestHost, type DurableTestHost } from '../../src/testing/durableTestHost';
import { prepareApp } from '../helpers/testHost';
import { waitFor } from '../helpers/waitFor';

const webhooks = '/runtime/webhooks/durabletask';

interface StatusBody {
  runtimeStatus: string;
  input?: unknown;
  output?: unknown;
  createdTime?: string;
}

describe('the Durable HTTP API and the real durable-functions client', () => {
  let app: { appDir: string; remove(): void };
  let durable: DurableTestHost;

  beforeAll(async () => {
    app = prepareApp('durable-app', { hostJson: { extensions: { durableTask: { hubName: 'HttpApiHub' } } } });
    durable = await startDurableTestHost({ appDir: app.appDir, virtualClock: false });
  });

  afterAll(async () => {
    await durable?.stop();
    app?.remove();
  });

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${durable.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const clientOp = async (op: string, args: object): Promise<unknown> => {
    const response = await call('POST', `/api/client/${op}`, args);
    if (response.status >= 300) {
      throw new Error(`client op ${op} answered ${response.status}: ${await response.text()}`);
    }
    return response.status === 204 ? undefined : response.json();
  };
  const waitForStatus = (id: string, status: string) =>
    waitFor(`instance ${id} to be ${status}`, async () => {
      const response = await call('GET', `${webhooks}/instances/${id}`);
      const body = (await response.json()) as StatusBody;
      return body.runtimeStatus === status && body;
    });

  it('starts through the SDK client and answers with the check-status response', async () => {
    const response = await call('POST', '/api/start/sequence');
    expect(response.status).toBe(202);
    const payload = (await response.json()) as Record<string, string>;
    expect(Object.keys(payload).sort()).toEqual(
      [
        'id',
        'purgeHistoryDeleteUri',
        'restartPostUri',
        'resumePostUri',
        'rewindPostUri',
        'sendEventPostUri',
        'statusQueryGetUri',
        'suspendPostUri',
        'terminatePostUri',
      ].sort(),
    );
    expect(response.headers.get('location')).toBe(payload.statusQueryGetUri);
    expect(payload.statusQueryGetUri).toContain(`${webhooks}/instances/${payload.id}?taskHub=HttpApiHub`);

    const done = await waitFor('the status URL to report completion', async () => {
      const status = await fetch(payload.statusQueryGetUri as string);
      return status.status === 200 && ((await status.json()) as { runtimeStatus: string; output: unknown });
    });
    expect(done).toMatchObject({
      runtimeStatus: 'Completed',
      output: ['Hello Tokyo!', 'Hello Seattle!', 'Hello London!'],
    });
  });

  it('serves getStatus with history, raiseEvent, suspend, resume and terminate to the SDK client', async () => {
    const { id } = (await clientOp('start', { name: 'statusReporter', instanceId: 'sdk-status-1' })) as { id: string };
    expect(id).toBe('sdk-status-1');
    await waitFor('custom status', async () => {
      const status = (await clientOp('status', { id })) as { customStatus?: { stage: string } };
      return status.customStatus?.stage === 'waiting';
    });
    await clientOp('suspend', { id, reason: 'hold on' });
    await waitForStatus(id, 'Suspended');
    await clientOp('raise', { id, event: 'go', data: 'now' });
    await clientOp('resume', { id, reason: 'carry on' });
    await waitForStatus(id, 'Completed');
    const status = (await clientOp('status', { id })) as { output: unknown; history?: unknown };
    expect(status.output).toBe('now');
    // The SDK's status class copies `history`, which the extension never sends (Azure/azure-functions-durable-js#620).
    expect(status.history).toBeUndefined();
    const direct = await call('GET', `${webhooks}/instances/${id}?showHistory=true`);
    const historyEvents = ((await direct.json()) as { historyEvents: { EventType: string }[] }).historyEvents;
    expect(historyEvents.map((e) => e.EventType)).toEqual(
      expect.arrayContaining([
        'ExecutionStarted',
        'EventRaised',
        'ExecutionSuspended',
        'ExecutionResumed',
        'ExecutionCompleted',
      ]),
    );

    const { id: other } = (await clientOp('start', { name: 'statusReporter' })) as { id: string };
    expect(other).toMatch(/^[0-9a-f]{32}$/);
    await clientOp('terminate', { id: other, reason: 'no longer needed' });
    const terminated = (await waitForStatus(other, 'Terminated')) as { output: unknown };
    expect(terminated.output).toBe('no longer needed');
  });

  it('queries by status across continuation pages and purges through the SDK client', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(((await clientOp('start', { name: 'twoEvents', instanceId: `query-${i}` })) as { id: string }).id);
    }
    for (const id of ids) {
      await waitForStatus(id, 'Running');
    }
    const paged = await call('GET', `${webhooks}/instances?runtimeStatus=Running&top=1&instanceIdPrefix=query-`);
    expect(paged.headers.get('x-ms-continuation-token')).not.toBe('');
    expect(((await paged.json()) as unknown[]).length).toBe(1);

    const running = (await clientOp('query', { runtimeStatus: ['Running'] })) as { instanceId: string }[];
    expect(running.map((s) => s.instanceId)).toEqual(expect.arrayContaining(ids));
    for (const id of ids) {
      await clientOp('terminate', { id, reason: 'cleanup' });
      await waitForStatus(id, 'Terminated');
    }
    expect(await clientOp('purge', { id: 'query-0' })).toEqual({ instancesDeleted: 1 });
    expect((await call('GET', `${webhooks}/instances/query-0`)).status).toBe(404);
  });

  it('signals an entity and reads its state through the SDK client', async () => {
    await clientOp('signal', { key: 'http-1', op: 'add', input: 7 });
    const state = await waitFor('the entity state', async () => {
      const result = (await clientOp('readEntity', { key: 'http-1' })) as {
        entityExists: boolean;
        entityState?: number;
      };
      return result.entityExists && result;
    });
    expect(state).toEqual({ entityExists: true, entityState: 7 });
    expect(await (await call('GET', `${webhooks}/entities/counter/http-1`)).json()).toBe(7);
    expect((await call('GET', `${webhooks}/entities/counter/missing`)).status).toBe(404);
    expect((await call('POST', `${webhooks}/entities/noSuchEntity/k?op=add`, 1)).status).toBe(404);
    const listed = await call('GET', `${webhooks}/entities/counter?fetchState=true`);
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual(
      expect.arrayContaining([expect.objectContaining({ entityId: { key: 'http-1', name: 'counter' }, state: 7 })]),
    );
    expect((await call('DELETE', `${webhooks}/entities/counter/http-1`)).status).toBe(202);
    await waitFor(
      'the entity to be deleted',
      async () => (await call('GET', `${webhooks}/entities/counter/http-1`)).status === 404,
    );
  });

  it('starts with and without an instance id on the management route', async () => {
    const named = await call('POST', `${webhooks}/orchestrators/sequence/mgmt-1`, { any: 'input' });
    expect(named.status).toBe(202);
    expect(named.headers.get('retry-after')).toBe('10');
    const body = (await named.json()) as Record<string, string>;
    expect(body.id).toBe('mgmt-1');
    expect(body.rewindPostUri).toBeUndefined();
    const generated = (await (await call('POST', `${webhooks}/orchestrators/sequence`)).json()) as { id: string };
    expect(generated.id).toMatch(/^[0-9a-f]{32}$/);

    const running = await call('GET', `${webhooks}/instances/${generated.id}`);
    expect([200, 202]).toContain(running.status);
    if (running.status === 202) {
      expect(running.headers.get('retry-after')).toBe('5');
    }
    const done = await waitForStatus('mgmt-1', 'Completed');
    expect(done).toMatchObject({ name: 'sequence', instanceId: 'mgmt-1', input: { any: 'input' } });
    expect(done.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const withHistory = await call(
      'GET',
      `${webhooks}/instances/mgmt-1?showHistory=true&showHistoryOutput=true&showInput=false`,
    );
    const detail = (await withHistory.json()) as { input: unknown; historyEvents: Record<string, unknown>[] };
    expect(detail.input).toBeNull();
    expect(detail.historyEvents.find((e) => e.EventType === 'TaskCompleted')).toMatchObject({
      FunctionName: 'sayHello',
      Result: 'Hello Tokyo!',
    });
  });

  it('answers bad input with 400 and a message, unknown instances with 404, finished ones with 410', async () => {
    const unknown = await call('POST', `${webhooks}/orchestrators/noSuchOrchestrator`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("'noSuchOrchestrator' doesn't exist");
    expect((await call('POST', `${webhooks}/orchestrators/sequence/bad%23id`)).status).toBe(400);
    expect((await call('POST', `${webhooks}/orchestrators/sequence/${'x'.repeat(257)}`)).status).toBe(400);
    const malformed = await call('POST', `${webhooks}/orchestrators/sequence`, '{"broken": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('Invalid JSON');

    expect((await call('GET', `${webhooks}/instances/never-started`)).status).toBe(404);
    expect((await call('POST', `${webhooks}/instances/never-started/raiseEvent/x`, {})).status).toBe(404);
    await call('POST', `${webhooks}/orchestrators/sequence/finished-1`);
    await waitForStatus('finished-1', 'Completed');
    expect((await call('POST', `${webhooks}/instances/finished-1/raiseEvent/x`, {})).status).toBe(410);
    expect((await call('POST', `${webhooks}/instances/finished-1/terminate?reason=late`)).status).toBe(410);
    const badEvent = await call('POST', `${webhooks}/instances/finished-1/raiseEvent/x`, '{nope');
    expect(badEvent.status).toBe(400);
    expect((await call('DELETE', `${webhooks}/instances`)).status).toBe(400);
  });

  it('answers 500 for a failed instance only when asked to', async () => {
    await call('POST', `${webhooks}/orchestrators/throwing/failed-1`);
    const failed = await waitForStatus('failed-1', 'Failed');
    expect(String(failed.output)).toContain('orchestrator gave up');
    expect((await call('GET', `${webhooks}/instances/failed-1?returnInternalServerErrorOnFailure=true`)).status).toBe(
      500,
    );
  });

  it('refuses to start over a running instance unless its state is overridable', async () => {
    await call('POST', `${webhooks}/orchestrators/twoEvents/busy-1`);
    await waitForStatus('busy-1', 'Running');
    const again = await call('POST', `${webhooks}/orchestrators/twoEvents/busy-1`);
    expect(again.status).toBe(500);
    expect(await again.text()).toContain('Running');
  });

  it('waits for the result when the start request carries timeout and pollingInterval', async () => {
    const response = await call('POST', `${webhooks}/orchestrators/sequence/wait-1?timeout=10&pollingInterval=0.05`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(['Hello Tokyo!', 'Hello Seattle!', 'Hello London!']);
    const restarted = await call('POST', `${webhooks}/instances/wait-1/restart?restartWithNewInstanceId=false`);
    expect(((await restarted.json()) as { id: string }).id).toBe('wait-1');
  });

  it('restarts an instance under a new id and purges by filter', async () => {
    await call('POST', `${webhooks}/orchestrators/sequence/restart-1`, ['x']);
    await waitForStatus('restart-1', 'Completed');
    const restarted = await call('POST', `${webhooks}/instances/restart-1/restart?restartWithNewInstanceId=true`);
    expect(restarted.status).toBe(202);
    const { id } = (await restarted.json()) as { id: string };
    expect(id).not.toBe('restart-1');
    const done = await waitForStatus(id, 'Completed');
    expect(done.input).toEqual(['x']);

    const from = new Date(Date.now() - 60_000).toISOString();
    const purged = await call('DELETE', `${webhooks}/instances?createdTimeFrom=${from}&runtimeStatus=Completed`);
    expect(purged.status).toBe(200);
    expect(((await purged.json()) as { instancesDeleted: number }).instancesDeleted).toBeGreaterThan(1);
    expect((await call('DELETE', `${webhooks}/instances?createdTimeFrom=${from}&runtimeStatus=Completed`)).status).toBe(
      404,
    );
  });

  it('polls a 202 Location for callHttp until the resource is ready', async () => {
    const url = `${durable.baseUrl}/api/slow/res-1`;
    await call('POST', `${webhooks}/orchestrators/callHttp/http-1`, JSON.stringify(url));
    const done = await waitForStatus('http-1', 'Completed').catch(async (error: Error) => {
      const history = await durable.history('http-1');
      throw new Error(
        `${error.message}: ${JSON.stringify(history.map((e) => [e.EventType, e.EventId, e.Name, e.Result ?? e.Input]))}`,
      );
    });
    expect(done.output).toEqual({
      statusCode: 200,
      content: JSON.stringify({ id: 'res-1', polls: 3 }),
    });
  }, 20_000);
});
