import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { functionNames } from '../lib/names';
import type { Reply } from '../lib/orders/replies';
import { deferReplyMessage } from '../lib/orders/replyRetries';
import { getStorage } from '../lib/storage';

/**
 * Hands a reply that Service Bus kept refusing to the `reply-retries` queue, so the order goes on while the reply
 * waits for Service Bus to come back.
 */
export async function deferReply(reply: Reply, _context: InvocationContext): Promise<{ deferred: string }> {
  await deferReplyMessage(getStorage(), { reply, attempt: 1 });
  return { deferred: reply.messageId };
}

df.app.activity(functionNames.deferReply, { handler: deferReply });
