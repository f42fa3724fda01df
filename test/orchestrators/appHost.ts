import path from 'node:path';
import type { InstanceState } from '../../platform/src/durable/backend/types';
import { startDurableTestHost, type DurableTestHost } from '../../platform/src/testing/durableTestHost';
import { startActivityEnv, type ActivityEnv } from '../activities/azuriteEnv';

/** The repository root: the app itself, loaded from its built `dist/` as the worker does (`npm run build` first). */
export const appDir = path.resolve(__dirname, '..', '..');

/**
 * Nothing listens on port 1, so every Service Bus send fails fast: replies take the retry-queue path, as they would
 * during an outage.
 */
export const unreachableServiceBus =
  'Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=unused;UseDevelopmentEmulator=true';

/** The app on the in-memory task hub with a virtual clock, over a fresh Azurite with the demo data. */
export interface AppUnderTest {
  env: ActivityEnv;
  durable: DurableTestHost;
  stop(): Promise<void>;
}

/** Starts Azurite, provisions and seeds it, and starts the app's host on the in-memory Durable backend. */
export async function startAppUnderTest(startTime?: Date): Promise<AppUnderTest> {
  const env = await startActivityEnv();
  process.env.ServiceBusConnection = unreachableServiceBus;
  process.env.SERVICE_BUS_TIMEOUT_SECONDS = '1';
  const durable = await startDurableTestHost({
    appDir,
    ...(startTime ? { startTime } : {}),
    env: {
      AzureWebJobsStorage: env.azurite.connectionString,
      ServiceBusConnection: unreachableServiceBus,
      NIGHTLY_SCHEDULE: '0 0 2 * * *',
    },
  });
  return {
    env,
    durable,
    stop: async () => {
      await durable.stop();
      await env.close();
    },
  };
}

/** The parsed output of a finished instance. */
export function outputOf<T>(instance: InstanceState): T {
  return JSON.parse(instance.output ?? 'null') as T;
}
