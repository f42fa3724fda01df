import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BackendKind } from '../../platform/src/durable/config/durableOptions';
import { startServiceBusBroker, type ServiceBusBroker } from '../../platform/src/servicebus';
import { startAzurite, type EmbeddedAzurite } from '../../platform/src/storage/azurite';
import { startDurableTestHost, type DurableTestHost } from '../../platform/src/testing/durableTestHost';
import { provisionStorage } from '../../lib/provisioning';
import { seedDemoData } from '../../lib/seed';
import { getStorage, type Storage } from '../../lib/storage';

/** The repository root is the app; the host loads its built `dist/` (`npm run build` first). */
export const appDir = path.resolve(__dirname, '..', '..');

/** Azurite, the Service Bus broker and the app's host, started for one test file. */
export interface LocalPlatform {
  azurite: EmbeddedAzurite;
  broker: ServiceBusBroker;
  storage: Storage;
  durable: DurableTestHost;
  /** Calls the app over HTTP; `key` adds the master key for function-level routes. */
  call(
    method: string,
    route: string,
    options?: { body?: unknown; key?: boolean },
  ): Promise<{ status: number; body: unknown; headers: Headers }>;
  /** Restarts the host on the same storage and broker, as after a crash or a deployment. */
  restartHost(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts in-memory Azurite and the Service Bus broker on free ports, provisions and seeds storage as `npm start`
 * does, then the app's host in real time on the given task hub backend.
 */
export async function startLocalPlatform(
  options: {
    backend?: BackendKind;
    env?: Record<string, string>;
    virtualClock?: boolean;
    startTime?: Date;
    /** Runs after provisioning and before the host starts, e.g. to build a backlog. */
    beforeHost?: (storage: Storage) => Promise<void>;
  } = {},
): Promise<LocalPlatform> {
  const azurite = await startAzurite({ ports: { blob: 0, queue: 0, table: 0 } });
  const broker = await startServiceBusBroker({ port: 0, config: path.join(appDir, 'servicebus-config.json') });
  const settings = {
    AzureWebJobsStorage: azurite.connectionString,
    ServiceBusConnection: broker.connectionString,
    NIGHTLY_SCHEDULE: '0 0 2 * * *',
    ...options.env,
  };
  Object.assign(process.env, settings);
  const storage = getStorage();
  await provisionStorage(storage);
  await seedDemoData(storage);
  await options.beforeHost?.(storage);

  const startHost = () =>
    startDurableTestHost({
      appDir,
      env: settings,
      virtualClock: options.virtualClock ?? false,
      backend: options.backend ?? 'memory',
      ...(options.startTime ? { startTime: options.startTime } : {}),
    });
  let durable = await startHost();

  const platform: LocalPlatform = {
    azurite,
    broker,
    storage,
    get durable() {
      return durable;
    },
    async call(method, route, callOptions = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (callOptions.key) {
        headers['x-functions-key'] = masterKey();
      }
      const response = await fetch(`${durable.baseUrl}/api/${route}`, {
        method,
        headers,
        ...(callOptions.body === undefined
          ? {}
          : { body: typeof callOptions.body === 'string' ? callOptions.body : JSON.stringify(callOptions.body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? (JSON.parse(text) as unknown) : undefined,
        headers: response.headers,
      };
    },
    async restartHost() {
      await durable.stop();
      durable = await startHost();
    },
    async stop() {
      await durable.stop();
      await broker.stop();
      await azurite.close();
    },
  };
  return platform;
}

function masterKey(): string {
  const file = path.join(appDir, '.local', 'function-keys.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { masterKey: string }).masterKey;
}

/** Polls until `probe` returns a value, failing with `what` after the deadline. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A job as `GET /api/jobs/{id}` returns it. */
export interface JobBody {
  instanceId: string;
  runtimeStatus: string;
  customStatus: unknown;
  output: unknown;
}

/** Polls the job status API until the job is finished. */
export async function waitForJob(platform: LocalPlatform, instanceId: string, timeoutMs = 30_000): Promise<JobBody> {
  return waitFor(
    `job ${instanceId} to finish`,
    async () => {
      const response = await platform.call('GET', `jobs/${instanceId}`);
      const body = response.body as JobBody | undefined;
      return response.status === 200 && body && ['Completed', 'Failed', 'Terminated'].includes(body.runtimeStatus)
        ? body
        : undefined;
    },
    timeoutMs,
  );
}
