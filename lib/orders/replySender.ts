import type { ServiceBusSender } from '@azure/service-bus';
import { readConfig } from '../config';
import { getServiceBusClient } from '../serviceBus';
import { toServiceBusMessage, type Reply } from './replies';

/** Service Bus failed recently, so the send was not even tried. */
export class ServiceBusUnavailableError extends Error {
  constructor(
    readonly entity: string,
    readonly retryAfterMs: number,
  ) {
    super(`Service Bus entity '${entity}': a send failed recently; not trying again for ${retryAfterMs} ms.`);
    this.name = 'ServiceBusUnavailableError';
  }
}

const senders = new Map<string, ServiceBusSender>();
// After a failure, sends fail fast for a while, so an outage costs each reply one timeout at most per window.
const openCircuitMs = 30_000;
let lastFailureAt = 0;

/**
 * Sends one reply to the entity it names. Senders are cached per entity (attaching a link costs a round trip); a
 * failed sender is dropped so the next attempt attaches afresh.
 */
export async function sendReplyMessage(reply: Reply, now = Date.now()): Promise<void> {
  const timeoutMs = readConfig().serviceBusTimeoutSeconds * 1000;
  if (now - lastFailureAt < openCircuitMs) {
    throw new ServiceBusUnavailableError(reply.to, openCircuitMs - (now - lastFailureAt));
  }
  let sender = senders.get(reply.to);
  if (sender === undefined) {
    sender = getServiceBusClient(timeoutMs).createSender(reply.to);
    senders.set(reply.to, sender);
  }
  try {
    await sender.sendMessages(toServiceBusMessage(reply), { abortSignal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    lastFailureAt = Date.now();
    senders.delete(reply.to);
    await sender.close().catch(() => undefined);
    throw error;
  }
}

/** Forgets an earlier failure, so the next send is tried at once (the retry queue calls this before its attempts). */
export function resetReplyCircuit(): void {
  lastFailureAt = 0;
}
