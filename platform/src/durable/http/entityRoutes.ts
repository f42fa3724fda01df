import type { IncomingMessage, ServerResponse } from 'node:http';
import { DurableArgumentError } from '../client/errors';
import type { TaskHubClient } from '../client/taskHubClient';
import { fromEntityInstanceId } from '../entities/entityId';
import { getQuery, readBody, sendEmpty, sendJson } from './httpIo';
import { toStatusTime } from './statusPayload';

/**
 * `entities/{name}/{key}`: POST signals `?op=` (JSON or text body), DELETE signals `delete`, GET reads the
 * state; `entities[/{name}]` lists entities. Key `$` stands for the empty key.
 */
export async function handleEntityRoute(
  client: TaskHubClient,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  segments: string[],
): Promise<void> {
  const method = request.method ?? 'GET';
  const [name, rawKey] = segments;
  if (segments.length > 2) {
    return sendEmpty(response, 404);
  }
  if (rawKey === undefined) {
    return method === 'GET' ? listEntities(client, request, response, url, name) : sendEmpty(response, 404);
  }
  const entity = { name: name ?? '', key: rawKey === '$' ? '' : rawKey };
  if (method === 'GET') {
    const state = await client.readEntityState(entity);
    return state ? sendJson(response, 200, JSON.parse(state.state)) : sendEmpty(response, 404);
  }
  if (method === 'DELETE' || method === 'POST') {
    const operation = method === 'DELETE' ? 'delete' : (getQuery(url, 'op') ?? '');
    const input =
      method === 'POST' ? toEntityInput(await readBody(request), request.headers['content-type']) : undefined;
    await client.signalEntity(entity, operation, input);
    return sendEmpty(response, 202);
  }
  return sendEmpty(response, 404);
}

/** JSON bodies are taken as JSON text; other content types as a string value. */
function toEntityInput(body: string, contentType: string | undefined): string | undefined {
  if (body === '') {
    return undefined;
  }
  if (contentType && !/json/i.test(contentType)) {
    return JSON.stringify(body);
  }
  try {
    return JSON.stringify(JSON.parse(body));
  } catch (error) {
    throw new DurableArgumentError(`Invalid JSON content in the entity operation body: ${(error as Error).message}`);
  }
}

async function listEntities(
  client: TaskHubClient,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  name: string | undefined,
): Promise<void> {
  const token = request.headers['x-ms-continuation-token'];
  const fetchState = getQuery(url, 'fetchState')?.toLowerCase() === 'true';
  const top = Number(getQuery(url, 'top') ?? '100');
  const page = await client.query({
    entities: true,
    instanceIdPrefix: name ? `@${name.toLowerCase()}@` : '@',
    top: Number.isInteger(top) && top > 0 ? top : 100,
    continuationToken: typeof token === 'string' && token !== '' ? token : undefined,
  });
  const body = page.instances
    .filter((row) => row.input !== undefined)
    .map((row) => {
      const entity = fromEntityInstanceId(row.instanceId);
      return {
        entityId: { key: entity?.key ?? '', name: entity?.name ?? '' },
        lastOperationTime: toStatusTime(row.lastUpdatedTime),
        ...(fetchState ? { state: JSON.parse(row.input as string) as unknown } : {}),
      };
    });
  sendJson(response, 200, body, { 'x-ms-continuation-token': page.continuationToken ?? '' });
}
