import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../clock/clock';
import type { Logger } from '../../host/logger';
import { terminalStatuses, type RuntimeStatus } from '../backend/types';
import { DurableArgumentError, InstanceNotFoundError, InstanceStateError } from '../client/errors';
import type { TaskHubClient } from '../client/taskHubClient';
import type { TaskHubClients } from '../client/taskHubClients';
import { handleEntityRoute } from './entityRoutes';
import { getQuery, queryFlag, readBody, sendEmpty, sendError, sendJson, toJsonBodyText } from './httpIo';
import { toManagementPayload, webhookPath, type LinkContext } from './managementLinks';
import { toStatusPayload } from './statusPayload';

/** What the management API serves from: the task hub clients, the host's own hub and any other one it names. */
export interface ManagementApiContext {
  readonly clients: Pick<TaskHubClients, 'resolve'>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** One request's view: the client of the task hub its `taskHub` / `connection` parameters name. */
interface RequestContext {
  readonly client: TaskHubClient;
  readonly clock: Clock;
}

const runtimeStatuses: RuntimeStatus[] = [
  'Pending',
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Canceled',
  'Terminated',
  'Suspended',
];

/**
 * The Durable HTTP API under `/runtime/webhooks/durabletask` (reference durable.md §13), also the SDK's
 * `rpcBaseUrl`. Requests serve the task hub their `taskHub` / `connection` query parameters name, the host's own
 * by default. Argument errors answer 400, unknown instances 404, finished instances 410.
 */
export function createManagementApi(context: ManagementApiContext) {
  return async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const segments = url.pathname
      .slice(webhookPath.length)
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
    try {
      const target = await context.clients.resolve({
        taskHub: getQuery(url, 'taskHub'),
        connection: getQuery(url, 'connection'),
      });
      const links: LinkContext = {
        origin: url.origin,
        hubName: target.hubName,
        connectionName: target.connectionName,
      };
      await route({ client: target.client, clock: context.clock }, links, request, response, url, segments);
    } catch (error) {
      sendFailure(context, response, error);
    }
  };
}

async function route(
  context: RequestContext,
  links: LinkContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  segments: string[],
): Promise<void> {
  const method = request.method ?? 'GET';
  const [head, id, action, extra] = segments;
  if (head === 'orchestrators' && id !== undefined && method === 'POST' && segments.length <= 3) {
    return startOrchestration(context, links, request, response, url, id, action);
  }
  if (head === 'entities') {
    return handleEntityRoute(context.client, request, response, url, segments.slice(1));
  }
  if (head !== 'instances') {
    return sendEmpty(response, 404);
  }
  if (id === undefined) {
    if (method === 'GET') {
      return queryInstances(context, response, url, request);
    }
    return method === 'DELETE' ? purgeInstances(context, response, url) : sendEmpty(response, 404);
  }
  if (action === undefined) {
    if (method === 'GET') {
      return getStatus(context, response, url, id);
    }
    return method === 'DELETE' ? purgeInstance(context, response, id) : sendEmpty(response, 404);
  }
  if (method !== 'POST') {
    return sendEmpty(response, 404);
  }
  return instanceOperation(context, links, request, response, url, { id, action, eventName: extra });
}

async function startOrchestration(
  context: RequestContext,
  links: LinkContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  name: string,
  instanceId: string | undefined,
): Promise<void> {
  const input = toJsonBodyText(await readBody(request), `the start request of '${name}'`);
  const id = await context.client.startNew(name, { instanceId, input, version: getQuery(url, 'version') });
  const payload = toManagementPayload(links, id, { includeRewind: false });
  const timeoutSeconds = Number(getQuery(url, 'timeout') ?? '');
  if (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0) {
    const interval = Number(getQuery(url, 'pollingInterval') ?? '1');
    return waitForStart(context, response, payload, id, timeoutSeconds * 1000, Math.max(0.05, interval) * 1000);
  }
  sendJson(response, 202, payload, { location: payload.statusQueryGetUri as string, 'retry-after': '10' });
}

/** `timeout` / `pollingInterval`: wait for the end; 200 + output, the status when failed, else 202. */
async function waitForStart(
  context: RequestContext,
  response: ServerResponse,
  payload: Record<string, string>,
  id: string,
  timeoutMs: number,
  intervalMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const instance = await context.client.getInstance(id);
    if (instance && terminalStatuses.includes(instance.runtimeStatus)) {
      const status = toStatusPayload(instance, { showInput: true });
      return instance.runtimeStatus === 'Completed'
        ? sendJson(response, 200, status.output)
        : sendJson(response, 200, status);
    }
    if (Date.now() + intervalMs > deadline) {
      return sendJson(response, 202, payload, { location: payload.statusQueryGetUri as string, 'retry-after': '10' });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

async function getStatus(context: RequestContext, response: ServerResponse, url: URL, id: string): Promise<void> {
  const instance = await context.client.getInstance(id);
  if (!instance || id.startsWith('@')) {
    return sendEmpty(response, 404);
  }
  const showHistory = queryFlag(url, 'showHistory', false);
  const history = showHistory ? await context.client.getHistory(id) : undefined;
  const payload = toStatusPayload(instance, {
    showInput: queryFlag(url, 'showInput', true),
    history,
    showHistoryOutput: queryFlag(url, 'showHistoryOutput', false),
  });
  switch (instance.runtimeStatus) {
    case 'Failed':
      return sendJson(response, queryFlag(url, 'returnInternalServerErrorOnFailure', false) ? 500 : 200, payload);
    case 'Completed':
    case 'Terminated':
    case 'Canceled':
      return sendJson(response, 200, payload);
    default:
      return sendJson(response, 202, payload, { location: url.href, 'retry-after': '5' });
  }
}

async function queryInstances(
  context: RequestContext,
  response: ServerResponse,
  url: URL,
  request: IncomingMessage,
): Promise<void> {
  const token = request.headers['x-ms-continuation-token'];
  const top = Number(getQuery(url, 'top') ?? '');
  const page = await context.client.query({
    createdTimeFrom: readTime(url, 'createdTimeFrom'),
    createdTimeTo: readTime(url, 'createdTimeTo'),
    runtimeStatus: readStatuses(url),
    instanceIdPrefix: getQuery(url, 'instanceIdPrefix'),
    top: Number.isInteger(top) && top > 0 ? top : undefined,
    continuationToken: typeof token === 'string' && token !== '' ? token : undefined,
  });
  const showInput = queryFlag(url, 'showInput', false);
  const body = page.instances.map((instance) => toStatusPayload(instance, { showInput }));
  // The extension always sets the header; the SDK stops following when it is empty.
  sendJson(response, 200, body, { 'x-ms-continuation-token': page.continuationToken ?? '' });
}

async function purgeInstance(context: RequestContext, response: ServerResponse, id: string): Promise<void> {
  const deleted = await context.client.purge(id);
  return deleted ? sendJson(response, 200, { instancesDeleted: 1 }) : sendEmpty(response, 404);
}

async function purgeInstances(context: RequestContext, response: ServerResponse, url: URL): Promise<void> {
  const from = readTime(url, 'createdTimeFrom');
  if (!from) {
    throw new DurableArgumentError('Purging instances by filter requires the createdTimeFrom query parameter.');
  }
  const count = await context.client.purgeBy({
    createdTimeFrom: from,
    createdTimeTo: readTime(url, 'createdTimeTo') ?? new Date(context.clock.now()).toISOString(),
    runtimeStatus: readStatuses(url),
  });
  return count > 0 ? sendJson(response, 200, { instancesDeleted: count }) : sendEmpty(response, 404);
}

async function instanceOperation(
  context: RequestContext,
  links: LinkContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  target: { id: string; action: string; eventName: string | undefined },
): Promise<void> {
  const reason = getQuery(url, 'reason') ?? '';
  const client = context.client;
  switch (target.action) {
    case 'raiseEvent': {
      if (!target.eventName) {
        return sendEmpty(response, 404);
      }
      const contentType = request.headers['content-type'] ?? '';
      const body = await readBody(request);
      if (body.trim() !== '' && !/application\/json/i.test(contentType)) {
        throw new DurableArgumentError(`Raise event expects Content-Type application/json, but got '${contentType}'.`);
      }
      await client.raiseEvent(target.id, target.eventName, toJsonBodyText(body, `event '${target.eventName}'`));
      return sendEmpty(response, 202);
    }
    case 'terminate':
      await client.terminate(target.id, reason);
      return sendEmpty(response, 202);
    case 'suspend':
      await client.suspend(target.id, reason);
      return sendEmpty(response, 202);
    case 'resume':
      await client.resume(target.id, reason);
      return sendEmpty(response, 202);
    case 'rewind':
      await client.rewind(target.id, reason);
      return sendEmpty(response, 202);
    case 'restart': {
      const newId = await client.restart(target.id, queryFlag(url, 'restartWithNewInstanceId', true));
      const payload = toManagementPayload(links, newId, { includeRewind: false });
      return sendJson(response, 202, payload, { location: payload.statusQueryGetUri as string, 'retry-after': '10' });
    }
    default:
      return sendEmpty(response, 404);
  }
}

function readTime(url: URL, name: string): string | undefined {
  const value = getQuery(url, name);
  if (value === undefined || value === '') {
    return undefined;
  }
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new DurableArgumentError(`Query parameter '${name}' must be an ISO date-time, but is '${value}'.`);
  }
  return new Date(time).toISOString();
}

function readStatuses(url: URL): RuntimeStatus[] | undefined {
  const value = getQuery(url, 'runtimeStatus');
  if (!value) {
    return undefined;
  }
  return value.split(',').map((name) => {
    const status = runtimeStatuses.find((s) => s === name.trim());
    if (!status) {
      throw new DurableArgumentError(
        `Query parameter 'runtimeStatus' has '${name}'; expected a comma-separated list of ${runtimeStatuses.join(', ')}.`,
      );
    }
    return status;
  });
}

function sendFailure(context: ManagementApiContext, response: ServerResponse, error: unknown): void {
  if (error instanceof DurableArgumentError) {
    return sendError(response, 400, 'One or more of the arguments submitted is incorrect', error.message);
  }
  if (error instanceof InstanceNotFoundError) {
    return sendError(response, 404, error.message);
  }
  if (error instanceof InstanceStateError && !error.message.startsWith('Cannot start')) {
    return sendError(response, 410, error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  context.logger.error('Durable HTTP API request failed', { error: message });
  sendError(response, 500, 'Something went wrong while processing your request', message);
}
