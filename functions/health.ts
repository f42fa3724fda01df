import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { ensureError } from '../lib/errors';
import { readConfig } from '../lib/config';
import { queues, serviceBusQueues } from '../lib/names';
import { getServiceBusClient } from '../lib/serviceBus';
import { getStorage } from '../lib/storage';

interface Check {
  ok: boolean;
  durationMs: number;
  error?: string;
}

async function check(probe: () => Promise<unknown>): Promise<Check> {
  const started = Date.now();
  try {
    await probe();
    return { ok: true, durationMs: Date.now() - started };
  } catch (error) {
    return { ok: false, durationMs: Date.now() - started, error: ensureError(error).message };
  }
}

// Peeking needs a receive link, which proves the namespace answers and the reply queue exists, and takes nothing.
async function probeServiceBus(timeoutMs: number): Promise<void> {
  const receiver = getServiceBusClient(timeoutMs).createReceiver(serviceBusQueues.replies);
  try {
    await receiver.peekMessages(1, { abortSignal: AbortSignal.timeout(timeoutMs) });
  } finally {
    await receiver.close().catch(() => undefined);
  }
}

/** `GET /api/health`: storage and Service Bus reachability; 503 when a dependency is down. */
export async function health(_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  const timeoutMs = Math.min(readConfig().serviceBusTimeoutSeconds, 5) * 1000;
  const [storage, serviceBus] = await Promise.all([
    check(() =>
      getStorage()
        .queue(queues.orders)
        .getProperties({ abortSignal: AbortSignal.timeout(timeoutMs) }),
    ),
    check(() => probeServiceBus(timeoutMs)),
  ]);
  const healthy = storage.ok && serviceBus.ok;
  return {
    status: healthy ? 200 : 503,
    jsonBody: { status: healthy ? 'healthy' : 'unhealthy', checks: { storage, serviceBus } },
  };
}

app.http('health', { methods: ['GET'], authLevel: 'anonymous', route: 'health', handler: health });
