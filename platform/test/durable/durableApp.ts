import type { BackendKind } from '../../src/durable/config/durableOptions';
import type { EmbeddedAzurite } from '../../src/storage/azurite';
import {
  startDurableTestHost,
  type DurableTestHost,
  type DurableTestHostOptions,
} from '../../src/testing/durableTestHost';
import { prepareApp, startTestAzurite } from '../helpers/testHost';

/** Which fixture app to run, on which task hub, and how the Durable test host runs it. */
export interface DurableAppOptions extends Omit<DurableTestHostOptions, 'appDir' | 'env' | 'backend'> {
  /** Folder under platform/test/fixtures. */
  fixture: string;
  hubName: string;
  /** Task hub storage; default `memory`. The `azureStorage` hub polls its queues at least every 200 ms. */
  backend?: BackendKind;
  /** host.json `logging.logLevel.default`; unset by default (Information). */
  logLevel?: 'Debug' | 'Information' | 'Warning';
  /** Further host.json `extensions.durableTask` settings. */
  durableTask?: Record<string, unknown>;
  /** Start an Azurite for the app's AzureWebJobsStorage; default only for the `azureStorage` backend. */
  azurite?: boolean;
}

/** A fixture app running on a Durable test host, with the Azurite it uses, if any. */
export interface DurableApp {
  readonly durable: DurableTestHost;
  readonly azurite: EmbeddedAzurite | undefined;
  /** Stops the host, removes the app's copy and closes the Azurite. */
  stop(): Promise<void>;
}

/** Copies a fixture app onto its own task hub and starts it on a Durable test host (with an Azurite if needed). */
export async function startDurableApp(options: DurableAppOptions): Promise<DurableApp> {
  const { fixture, hubName, backend, logLevel, durableTask, azurite: needsAzurite, ...hostOptions } = options;
  const azurite = (needsAzurite ?? backend === 'azureStorage') ? await startTestAzurite() : undefined;
  const app = prepareApp(fixture, { hostJson: hostJsonFor(hubName, backend, logLevel, durableTask) });

  let durable: DurableTestHost;
  try {
    durable = await startDurableTestHost({
      ...hostOptions,
      appDir: app.appDir,
      backend,
      env: azurite ? { AzureWebJobsStorage: azurite.connectionString } : {},
    });
  } catch (error) {
    app.remove();
    await azurite?.close();
    throw error;
  }

  return {
    durable,
    azurite,
    async stop() {
      await durable.stop();
      app.remove();
      await azurite?.close();
    },
  };
}

function hostJsonFor(
  hubName: string,
  backend: BackendKind | undefined,
  logLevel: DurableAppOptions['logLevel'],
  durableTask: Record<string, unknown> = {},
): object {
  // Short: the Azure Storage hub's back-off on empty queues otherwise grows to 30 s between polls.
  const storageProvider = backend === 'azureStorage' ? { maxQueuePollingInterval: '00:00:00.200' } : undefined;
  return {
    ...(logLevel ? { logging: { logLevel: { default: logLevel } } } : {}),
    extensions: { durableTask: { hubName, ...durableTask, ...(storageProvider ? { storageProvider } : {}) } },
  };
}
