import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { functionNames } from '../lib/names';
import type { Reply } from '../lib/orders/replies';
import { sendReplyMessage } from '../lib/orders/replySender';

/** Sends a progress reply to Service Bus; throws on failure so the orchestrator's retry policy applies. */
export async function sendReply(reply: Reply, _context: InvocationContext): Promise<{ messageId: string }> {
  await sendReplyMessage(reply);
  return { messageId: reply.messageId };
}

df.app.activity(functionNames.sendReply, { handler: sendReply });
