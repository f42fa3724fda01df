/**
 * Drops one order message on the `orders` queue (or `orders-high` with --high), base64-encoded as the queue trigger
 * expects. Reads AzureWebJobsStorage from the environment, else from local.settings.json.
 *
 * Usage: node dist/scripts/send-order.js <orderId> <customerId> <sku>:<quantity>[,<sku>:<quantity>…]
 *          [--high] [--reply-to <entity>] [--session <id>]
 * Example: node dist/scripts/send-order.js o-1001 c-alice sku-widget:2,sku-gadget:1 --reply-to order-replies
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { queues } from '../lib/names';
import { validateOrderMessage } from '../lib/orderSchema';
import { toQueueMessageText } from '../lib/queueMessages';
import { createStorage, toStorageTarget } from '../lib/storage';

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

function toItems(text: string): { sku: string; quantity: number }[] {
  return text.split(',').map((part) => {
    const [sku = '', quantity = ''] = part.split(':');
    return { sku, quantity: Number(quantity) };
  });
}

async function main(argv: string[]): Promise<void> {
  const [orderId, customerId, items] = argv;
  if (orderId === undefined || customerId === undefined || items === undefined) {
    throw new Error('expected <orderId> <customerId> <sku>:<quantity>[,…], see the usage at the top of the script');
  }
  const replyTo = option(argv, '--reply-to');
  const session = option(argv, '--session');
  const message = {
    orderId,
    customerId,
    items: toItems(items),
    ...(argv.includes('--high') ? { priority: 'high' } : {}),
    ...(replyTo ? { replyTo } : {}),
    ...(session ? { replyToSessionId: session } : {}),
  };
  const parsed = validateOrderMessage(message);
  if (!parsed.ok) {
    throw new Error(parsed.reason);
  }

  const env = { ...localSettingsValues(), ...process.env };
  const queue = parsed.order.priority === 'high' ? queues.ordersHigh : queues.orders;
  const sent = await createStorage(toStorageTarget(env))
    .queue(queue)
    .sendMessage(toQueueMessageText(JSON.stringify(message)));
  console.log(
    `Sent order '${orderId}' to queue '${queue}' as message ${sent.messageId}; status: GET /api/jobs/order-${orderId}`,
  );
}

function localSettingsValues(): Record<string, string> {
  try {
    return (
      (JSON.parse(readFileSync(path.resolve('local.settings.json'), 'utf8')) as { Values?: Record<string, string> })
        .Values ?? {}
    );
  } catch {
    return {};
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`send-order failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
