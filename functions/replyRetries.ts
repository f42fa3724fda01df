import { app, type InvocationContext } from '@azure/functions';
import { ensureError } from '../lib/errors';
import { loggerFor } from '../lib/log';
import { queues, settings } from '../lib/names';
import { deferReplyMessage, type DeferredReply } from '../lib/orders/replyRetries';
import { resetReplyCircuit, sendReplyMessage } from '../lib/orders/replySender';
import { getStorage } from '../lib/storage';

/**
 * Re-sends a reply Service Bus refused earlier. On another failure the reply goes back on the queue with a longer
 * delay (5 s doubling to 10 minutes) and the invocation succeeds, so an outage of any length delays replies without
 * sending them to poison. The message id is the reply's own, so a send that did get through is recognisable.
 */
export async function retryReply(entry: unknown, context: InvocationContext): Promise<void> {
  const deferred = entry as DeferredReply;
  const logger = loggerFor(context);
  resetReplyCircuit();
  try {
    await sendReplyMessage(deferred.reply);
    logger.info('Deferred reply sent', { messageId: deferred.reply.messageId, attempt: deferred.attempt });
  } catch (error) {
    const next = { reply: deferred.reply, attempt: deferred.attempt + 1 };
    await deferReplyMessage(getStorage(), next);
    logger.warn('Deferred reply failed again; retrying later', {
      messageId: deferred.reply.messageId,
      attempt: next.attempt,
      error: ensureError(error).message,
    });
  }
}

app.storageQueue('replyRetriesQueue', {
  queueName: queues.replyRetries,
  connection: settings.storageConnection,
  handler: retryReply,
});
