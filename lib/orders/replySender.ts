import type { ServiceBusSender } from '@azure/service-bus';
import { readConfig } from '../config';
import { getServiceBusClient } from '../serviceBus';
import { toServiceBusMessage, type Reply } from './replies';

const senders = new Map<string, ServiceBusSender>();

/**
 * Sends one reply to the entity it names. Senders are cached per entity (attaching a link costs a round trip); a
 * failed sender is dropped so the next attempt attaches afresh.
 */
export async function sendReplyMessage(reply: Reply): Promise<void> {
  const timeoutMs = readConfig().serviceBusTimeoutSeconds * 1000;
  let sender = senders.get(reply.to);
  if (sender === undefined) {
    sender = getServiceBusClient(timeoutMs).createSender(reply.to);
    senders.set(reply.to, sender);
  }
  try {
    await sender.sendMessages(toServiceBusMessage(reply), { abortSignal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    senders.delete(reply.to);
    await sender.close().catch(() => undefined);
    throw error;
  }
}
