import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { ensureError } from '../lib/errors';
import { loggerFor } from '../lib/log';
import { functionNames } from '../lib/names';
import type { Reply } from '../lib/orders/replies';
import { deferReplyMessage } from '../lib/orders/replyRetries';
import { sendReplyMessage } from '../lib/orders/replySender';
import { getStorage } from '../lib/storage';

/**
 * Sends a progress reply to Service Bus. When Service Bus does not take it, the reply goes to the `reply-retries`
 * queue instead and the activity still succeeds, so an outage delays replies but never holds up the order. Only a
 * storage failure makes the activity fail (and the orchestrator's retry policy apply).
 */
export async function sendReply(
  reply: Reply,
  context: InvocationContext,
): Promise<{ messageId: string; deferred: boolean }> {
  try {
    await sendReplyMessage(reply);
    return { messageId: reply.messageId, deferred: false };
  } catch (error) {
    loggerFor(context).warn('Reply deferred: Service Bus did not take it', {
      messageId: reply.messageId,
      entity: reply.to,
      error: ensureError(error).message,
    });
    await deferReplyMessage(getStorage(), { reply, attempt: 1 });
    return { messageId: reply.messageId, deferred: true };
  }
}

df.app.activity(functionNames.sendReply, { handler: sendReply });
