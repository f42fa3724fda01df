import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import type { StorageAccount } from '../../../src/storage/storageAccount';
import {
  platformIsBuilt,
  startHostProcess,
  type HostProcess,
  type HostProcessOptions,
} from '../../helpers/startHostProcess';
import { prepareApp, startTestAzurite } from '../../helpers/testHost';
import { storageFor } from './backendHarness';
import { durableHostJson } from './durableHost';

/** Short visibility timeouts so the messages a killed host held reappear within seconds (default 5 minutes). */
export const crashProvider = { controlQueueVisibilityTimeout: '00:00:05', workItemQueueVisibilityTimeout: '00:00:05' };

/** `describe` when platform/dist is built, which the host processes run (`npm test` builds first); else skipped. */
export const describeBuilt = platformIsBuilt() ? describe : describe.skip;

/** One Azurite for a describe block, and the fixture apps and host processes its tests run on it. */
export interface HostProcessHarness {
  readonly azurite: EmbeddedAzurite;
  readonly storage: StorageAccount;
  /** Copies a fixture app onto its own task hub on this Azurite (see durableHostJson); removed after the test. */
  prepareApp(fixture: string, hubName: string, storageProvider?: Record<string, unknown>): string;
  /** Starts a host process of the app on this Azurite, with `env` added; SIGKILLed after the test. */
  startHost(appDir: string, options?: HostProcessOptions & { env?: Record<string, string> }): Promise<HostProcess>;
}

/**
 * Registers the hooks of a describe block whose tests run fixture apps in host processes on one Azurite: the
 * Azurite for the block, and after each test a SIGKILL for every host process it started and removal of its apps.
 */
export function useHostProcessesOnAzurite(): HostProcessHarness {
  let running: { azurite: EmbeddedAzurite; storage: StorageAccount } | undefined;
  const processes: HostProcess[] = [];
  const apps: { remove(): void }[] = [];

  beforeAll(async () => {
    const azurite = await startTestAzurite();
    running = { azurite, storage: storageFor(azurite.connectionString) };
  });

  afterEach(async () => {
    await Promise.allSettled(processes.splice(0).map((p) => p.kill()));
    apps.splice(0).forEach((app) => app.remove());
  });

  afterAll(async () => {
    await running?.azurite.close();
  });

  const current = () => {
    if (!running) {
      throw new Error('The Azurite of useHostProcessesOnAzurite() is used before its beforeAll hook ran.');
    }
    return running;
  };
  return {
    get azurite() {
      return current().azurite;
    },
    get storage() {
      return current().storage;
    },
    prepareApp(fixture, hubName, storageProvider = {}) {
      const connectionString = current().azurite.connectionString;
      const app = prepareApp(fixture, {
        hostJson: durableHostJson(hubName, storageProvider),
        values: { AzureWebJobsStorage: connectionString },
      });
      apps.push(app);
      return app.appDir;
    },
    async startHost(appDir, { env = {}, ...options } = {}) {
      const connectionString = current().azurite.connectionString;
      const host = await startHostProcess(appDir, { AzureWebJobsStorage: connectionString, ...env }, options);
      processes.push(host);
      return host;
    },
  };
}

/** True while a process with this id exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
