import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { jsonError } from '../lib/http';
import { loggerFor } from '../lib/log';
import { listPoison, poisonQueueOf, requeuePoison, UnknownQueueError } from '../lib/poison';
import { getStorage } from '../lib/storage';

function unknownQueue(queue: string): HttpResponseInit {
  return jsonError(404, 'UnknownQueue', new UnknownQueueError(queue).message, { queue });
}

/** `GET /api/poison/{queue}`: the poison messages of a source queue (up to 32) with their reasons. */
export async function getPoison(request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  const queue = request.params.queue ?? '';
  if (poisonQueueOf[queue] === undefined) {
    return unknownQueue(queue);
  }
  const messages = await listPoison(getStorage(), queue);
  return { status: 200, jsonBody: { queue, poisonQueue: poisonQueueOf[queue], messages } };
}

/** `POST /api/poison/{queue}/{messageId}/requeue`: moves one poison message back to its source queue. */
export async function requeue(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const queue = request.params.queue ?? '';
  const messageId = request.params.messageId ?? '';
  if (poisonQueueOf[queue] === undefined) {
    return unknownQueue(queue);
  }
  if (!(await requeuePoison(getStorage(), queue, messageId))) {
    return jsonError(
      404,
      'PoisonMessageNotFound',
      `expected message '${messageId}' in '${poisonQueueOf[queue]}', found none`,
      {
        queue,
        messageId,
      },
    );
  }
  loggerFor(context).info('Poison message requeued', { queue, messageId });
  return { status: 202, jsonBody: { queue, messageId, requeued: true } };
}

app.http('getPoison', { methods: ['GET'], authLevel: 'anonymous', route: 'poison/{queue}', handler: getPoison });
app.http('requeuePoison', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'poison/{queue}/{messageId}/requeue',
  handler: requeue,
});
