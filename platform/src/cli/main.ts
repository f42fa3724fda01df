#!/usr/bin/env node
import path from 'node:path';
import { readLocalSettings } from '../config/localSettings';
import { ConfigurationError, PlatformError } from '../errors';
import type { FunctionsHost } from '../host/host';
import { createLogger, type Logger } from '../host/logger';
import type { ServiceBusBroker } from '../servicebus';
import type { EmbeddedAzurite } from '../storage/azurite';
import type { EmulatorEvents } from '../storage/emulatorEvents';
import type { DevelopmentStorageEndpoint } from '../storage/storageAccount';
import { parseStartArgs, usage, type StartArgs } from './args';
import { runBeforeStart } from './beforeStart';
import { ensureDevelopmentStorage, usesDevelopmentStorage } from './localStorage';
import { ensureServiceBusBroker } from './localServiceBus';

/**
 * `local-functions start`: the Core Tools `func start` stand-in. Starts storage (and the Service Bus broker when
 * the app declares one), then the host; the first SIGINT/SIGTERM stops gracefully, a second exits at once.
 */
async function main(argv: string[]): Promise<number> {
  const args = parseStartArgs(argv);
  if (args === 'help') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const logger = createLogger({ levels: { default: args.verbose ? 'debug' : 'info' }, category: 'Host.Startup' });
  const appDir = path.resolve(args.appDir);
  const services = await startServices(appDir, args, logger);
  let host: FunctionsHost;
  try {
    // Loaded after the emulators start: the app loads while the beforeStart command runs in its own process.
    const { FunctionsHost } = await import('../host/host.js');
    host = await FunctionsHost.start({
      appDir,
      port: args.port,
      verbose: args.verbose,
      developmentStorage: services.storage,
      emulatorEvents: services.emulatorEvents,
      beforeListening: () => services.beforeStart,
      workerThread: true,
    });
  } catch (error) {
    await services.stop();
    throw error;
  }
  await waitForSignal(host, () => services.stop());
  return 0;
}

interface LocalServices {
  readonly storage: DevelopmentStorageEndpoint | undefined;
  readonly emulatorEvents: EmulatorEvents | undefined;
  /** The app's beforeStart command, running; the host's listeners wait for it. */
  readonly beforeStart: Promise<void>;
  stop(): Promise<void>;
}

/** Starts what the app needs on this machine: Azurite, the Service Bus broker, and the app's beforeStart. */
async function startServices(appDir: string, args: StartArgs, logger: Logger): Promise<LocalServices> {
  const settings = { ...readLocalSettings(appDir).values, ...process.env };
  let azurite: EmbeddedAzurite | undefined;
  let broker: ServiceBusBroker | undefined;
  let storage: DevelopmentStorageEndpoint | undefined;
  let beforeStart: Promise<void> = Promise.resolve();
  const services: LocalServices = {
    get storage() {
      return storage;
    },
    get emulatorEvents() {
      return azurite?.events;
    },
    get beforeStart() {
      return beforeStart;
    },
    async stop() {
      await broker?.stop();
      await azurite?.close();
    },
  };
  try {
    if (args.azurite && usesDevelopmentStorage(settings.AzureWebJobsStorage)) {
      const result = await ensureDevelopmentStorage(appDir, { inMemory: args.inMemory, logger });
      azurite = result.embedded;
      storage = result.endpoint;
    }
    if (args.serviceBus) {
      broker = await ensureServiceBusBroker(appDir, settings, { inMemory: args.inMemory, logger });
    }
    beforeStart = runBeforeStart(appDir, { ...process.env, ...settings }, logger);
    // Observed here so a failure before the host awaits it is not reported as unhandled; the host rethrows it.
    beforeStart.catch(() => undefined);
  } catch (error) {
    await services.stop();
    throw error;
  }
  return services;
}

function waitForSignal(host: FunctionsHost, stopServices: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`Received ${signal} again; exiting without waiting.\n`);
        process.exit(1);
      }
      stopping = true;
      void host
        .stop()
        .then(stopServices)
        .then(resolve, (error: unknown) => {
          process.stderr.write(`Shutdown failed: ${(error as Error).message}\n`);
          process.exit(1);
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function describeStartupError(error: unknown): string {
  if (error instanceof ConfigurationError) {
    const where = Object.entries(error.where)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(' ');
    return `Configuration error: ${error.message}${where ? ` (${where})` : ''}`;
  }
  if (error instanceof PlatformError) {
    return `${error.name}: ${error.message}`;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${describeStartupError(error)}\n`);
    process.exit(1);
  },
);
