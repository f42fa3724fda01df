import { createDefaultExtensions } from '../../../src/host/extensionRegistry';
import { createDurableExtension, type DurableExtension } from '../../../src/durable/durableExtension';
import { azureStorageBackendFactory } from '../../../src/durable/backend/azureStorage/azureStorageBackendFactory';
import type { FunctionsHost } from '../../../src/host/host';
import type { LogRecord } from '../../../src/host/logger';
import { prepareApp, startTestHost } from '../../helpers/testHost';

/** host.json of the Azure Storage fixture app: its own task hub, quick polling and short leases. */
export function durableHostJson(hubName: string, storageProvider: Record<string, unknown> = {}): object {
  return {
    logging: { logLevel: { default: 'Warning' } },
    extensions: {
      durableTask: {
        hubName,
        storageProvider: {
          maxQueuePollingInterval: '00:00:01',
          leaseInterval: '00:00:15',
          leaseRenewInterval: '00:00:02',
          leaseAcquireInterval: '00:00:01',
          ...storageProvider,
        },
      },
    },
  };
}

/** An in-process host of the fixture app on the Azure Storage task hub. */
export async function startDurableHost(
  connectionString: string,
  hubName: string,
  storageProvider: Record<string, unknown> = {},
): Promise<{ host: FunctionsHost; durable: DurableExtension; logs: LogRecord[]; stop(): Promise<void> }> {
  const app = prepareApp('durable-storage-app', {
    hostJson: durableHostJson(hubName, storageProvider),
    values: { AzureWebJobsStorage: connectionString },
  });
  // The fixture's activities record their executions through this setting (one Azurite per test file).
  process.env.AzureWebJobsStorage = connectionString;
  const durable = createDurableExtension({ backend: azureStorageBackendFactory });
  const { host, logs } = await startTestHost({
    appDir: app.appDir,
    env: { AzureWebJobsStorage: connectionString },
    // Replaces the registry's Durable extension (whichever backend it defaults to) with one on Azure Storage.
    extensions: [...createDefaultExtensions().filter((extension) => extension.name !== durable.name), durable],
  });
  return {
    host,
    durable,
    logs,
    async stop() {
      await host.stop();
      app.remove();
    },
  };
}
