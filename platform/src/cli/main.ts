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
  // The emulators start while the host loads the app in its worker thread; listeners wait for both.
  const starting = startServices(appDir, args, logger);
  starting.catch(() => undefined); // observed here, awaited by the host before its listeners start
  let host: FunctionsHost;
  try {
    const { FunctionsHost } = await import('../host/host.js');
    host = await FunctionsHost.start({
      appDir,
      port: args.port,
      verbose: args.verbose,
      workerThread: true,
      beforeListening: async () => {
        const services = await starting;
        await services.ready;
        return { developmentStorage: services.storage, emulatorEvents: services.emulatorEvents };
      },
    });
  } catch (error) {
    await (await starting.catch(() => undefined))?.stop();
    throw error;
  }
  const services = await starting;
  await waitForSignal(host, () => services.stop());
  return 0;
}

interface LocalServices {
  readonly storage: DevelopmentStorageEndpoint | undefined;
  readonly emulatorEvents: EmulatorEvents | undefined;
  /** The Service Bus broker starting, then the app's beforeStart command running; the host's listeners wait for it. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts what the app needs on this machine: storage (awaited), then the Service Bus broker and the app's
 * beforeStart command (in `ready`).
 */
async function startServices(appDir: string, args: StartArgs, logger: Logger): Promise<LocalServices> {
  const settings = { ...readLocalSettings(appDir).values, ...process.env };
  let azurite: EmbeddedAzurite | undefined;
  let broker: ServiceBusBroker | undefined;
  let storage: DevelopmentStorageEndpoint | undefined;
  const stop = async () => {
    await broker?.stop();
    await azurite?.close();
  };
  try {
    if (args.azurite && usesDevelopmentStorage(settings.AzureWebJobsStorage)) {
      const result = await ensureDevelopmentStorage(appDir, { inMemory: args.inMemory, logger });
      azurite = result.embedded;
      storage = result.endpoint;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const ready = (async () => {
    if (args.serviceBus) {
      broker = await ensureServiceBusBroker(appDir, settings, { inMemory: args.inMemory, logger });
    }
    await runBeforeStart(appDir, { ...process.env, ...settings }, logger);
  })();
  // Observed here so a failure before the host awaits it is not reported as unhandled; the host rethrows it.
  ready.catch(() => undefined);
  return { storage, emulatorEvents: azurite?.events, ready, stop };
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
