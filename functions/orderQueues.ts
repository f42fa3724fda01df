import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { readConfig, readMaxDequeueCount } from '../lib/config';
import { loggerFor } from '../lib/log';
import { queues, settings } from '../lib/names';
import { takeOrder } from '../lib/orders/intake';
import { waitForHighPriority } from '../lib/orders/priorityGate';
import { getStorage } from '../lib/storage';

const maxDequeueCount = readMaxDequeueCount();

function messageOf(queue: string, entry: unknown, context: InvocationContext) {
  const metadata = context.triggerMetadata ?? {};
  return {
    queue,
    messageId: typeof metadata.id === 'string' ? metadata.id : '',
    dequeueCount: Number(metadata.dequeueCount ?? 1),
    text: typeof metadata.queueTrigger === 'string' ? metadata.queueTrigger : JSON.stringify(entry),
    entry,
  };
}

/** High-priority orders: started as soon as they arrive. */
export async function takeHighPriorityOrder(entry: unknown, context: InvocationContext): Promise<void> {
  const deps = { storage: getStorage(), client: df.getClient(context), logger: loggerFor(context), maxDequeueCount };
  await takeOrder(deps, messageOf(queues.ordersHigh, entry, context));
}

/** Normal orders: started once `orders-high` has no backlog, or after PRIORITY_MAX_WAIT_SECONDS. */
export async function takeOrderMessage(entry: unknown, context: InvocationContext): Promise<void> {
  const storage = getStorage();
  const waitedMs = await waitForHighPriority(storage, readConfig().priorityMaxWaitSeconds * 1000);
  const logger = loggerFor(context);
  if (waitedMs > 0) {
    logger.debug('Normal order waited for high-priority backlog', { waitedMs });
  }
  await takeOrder(
    { storage, client: df.getClient(context), logger, maxDequeueCount },
    messageOf(queues.orders, entry, context),
  );
}

app.storageQueue('ordersHighQueue', {
  queueName: queues.ordersHigh,
  connection: settings.storageConnection,
  extraInputs: [df.input.durableClient()],
  handler: takeHighPriorityOrder,
});

app.storageQueue('ordersQueue', {
  queueName: queues.orders,
  connection: settings.storageConnection,
  extraInputs: [df.input.durableClient()],
  handler: takeOrderMessage,
});
