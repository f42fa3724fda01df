import { randomBytes } from 'node:crypto';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import type { Clock } from '../../../src/clock/clock';
import type { FunctionsHost } from '../../../src/host/host';
import type { LogRecord } from '../../../src/host/logger';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import type { EmulatorEvents } from '../../../src/storage/emulatorEvents';
import { prepareApp, startTestHost } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';

/** Every `%Setting%` the queue-app fixture uses. */
const settingNames = [
  'EchoQueue',
  'EchoOutQueue',
  'FailQueue',
  'SlowQueue',
  'SlowOutQueue',
  'FanQueue',
  'FanOutQueue',
  'RelayQueue',
  'RelayTargetQueue',
  'RelayOutQueue',
  'BlobQueue',
  'BlobOutQueue',
  'BlobContainer',
  'RetryFixedQueue',
  'RetryExponentialQueue',
  'RetryOutQueue',
] as const;

export type QueueAppNames = Record<(typeof settingNames)[number], string>;

/** Unique queue and container names for one host, so tests never see each other's messages. */
export function uniqueQueueAppNames(): QueueAppNames {
  const suffix = randomBytes(4).toString('hex');
  const entries = settingNames.map((name) => [name, `${name.toLowerCase()}-${suffix}`]);
  return Object.fromEntries(entries) as QueueAppNames;
}

/** A running queue-app host with its names, logs and a queue client for the same Azurite. */
export interface QueueApp {
  readonly host: FunctionsHost;
  readonly logs: LogRecord[];
  readonly names: QueueAppNames;
  readonly queues: QueueServiceClient;
  queue(name: string): QueueClient;
  stop(): Promise<void>;
}

/** Starts the queue-app fixture against `azurite`, creating its trigger queues first. */
export async function startQueueApp(
  azurite: EmbeddedAzurite,
  options: {
    hostJson?: object;
    values?: Record<string, string>;
    clock?: Clock;
    names?: QueueAppNames;
    verbose?: boolean;
    emulatorEvents?: EmulatorEvents;
  } = {},
): Promise<QueueApp> {
  const names = options.names ?? uniqueQueueAppNames();
  const queues = QueueServiceClient.fromConnectionString(azurite.connectionString, { retryOptions: { maxTries: 1 } });
  const triggerQueues = [names.EchoQueue, names.FailQueue, names.SlowQueue, names.FanQueue, names.RelayQueue];
  const more = [names.RelayTargetQueue, names.BlobQueue, names.RetryFixedQueue, names.RetryExponentialQueue];
  await Promise.all([...triggerQueues, ...more].map((name) => queues.getQueueClient(name).createIfNotExists()));

  const app = prepareApp('queue-app', { hostJson: options.hostJson, values: { ...names, ...options.values } });
  const started = await startTestHost({
    appDir: app.appDir,
    env: { AzureWebJobsStorage: azurite.connectionString },
    clock: options.clock,
    verbose: options.verbose,
    emulatorEvents: options.emulatorEvents,
  }).catch((error: unknown) => {
    app.remove();
    throw error;
  });
  const { host, logs } = started;
  return {
    host,
    logs,
    names,
    queues,
    queue: (name) => queues.getQueueClient(name),
    stop: async () => {
      await host.stop();
      app.remove();
    },
  };
}

/** Sends a JSON message the way a client with base64 encoding does. */
export async function sendJson(queue: QueueClient, body: unknown): Promise<void> {
  await queue.sendMessage(Buffer.from(JSON.stringify(body), 'utf8').toString('base64'));
}

/** Waits until `count` messages arrived on `queue`, deletes them and returns their base64-decoded texts. */
export async function receiveTexts(queue: QueueClient, count = 1): Promise<string[]> {
  const texts: string[] = [];
  await waitFor(`${count} message(s) on ${queue.name}`, async () => {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
    for (const message of receivedMessageItems) {
      texts.push(Buffer.from(message.messageText, 'base64').toString('utf8'));
      await queue.deleteMessage(message.messageId, message.popReceipt);
    }
    return texts.length >= count;
  });
  return texts;
}

/** Like `receiveTexts`, parsing each text as JSON. */
export async function receiveJson<T = Record<string, unknown>>(queue: QueueClient, count = 1): Promise<T[]> {
  return (await receiveTexts(queue, count)).map((text) => JSON.parse(text) as T);
}

/** Log records of one message text, e.g. every `Executing function` line of one function. */
export function logsOf(logs: LogRecord[], message: string, functionName?: string): LogRecord[] {
  return logs.filter((r) => r.message === message && (!functionName || r.fields.function === functionName));
}
