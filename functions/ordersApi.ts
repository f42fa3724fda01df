import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { jsonError, readJson } from '../lib/http';
import { loggerFor } from '../lib/log';
import { instanceIds, queues } from '../lib/names';
import { validateOrderMessage } from '../lib/orderSchema';
import { toQueueMessageText } from '../lib/queueMessages';
import { getStorage } from '../lib/storage';

/**
 * `POST /api/orders`: validates the order and puts the same message on `orders` (or `orders-high`), answering 202
 * with the job's status URL. The orchestration starts when the queue function takes the message.
 */
export async function postOrder(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const body = await readJson(request);
  if (!body.ok) {
    return jsonError(400, 'InvalidJson', body.reason);
  }
  const parsed = validateOrderMessage(body.value);
  if (!parsed.ok) {
    return jsonError(400, 'InvalidOrder', parsed.reason);
  }

  const queue = parsed.order.priority === 'high' ? queues.ordersHigh : queues.orders;
  const sent = await getStorage().queue(queue).sendMessage(toQueueMessageText(body.text));
  const instanceId = instanceIds.order(parsed.order.orderId);
  loggerFor(context).info('Order accepted', { queue, messageId: sent.messageId, instanceId });

  const statusUrl = new URL(`/api/jobs/${encodeURIComponent(instanceId)}`, request.url).toString();
  return {
    status: 202,
    headers: { location: statusUrl, 'retry-after': '2' },
    jsonBody: { orderId: parsed.order.orderId, instanceId, queue, messageId: sent.messageId, statusUrl },
  };
}

app.http('postOrder', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'orders',
  handler: postOrder,
});
