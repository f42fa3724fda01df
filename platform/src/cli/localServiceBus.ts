import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../host/logger';
import { parseConnectionString } from '../storage/connectionString';
import { defaultServiceBusPort, startServiceBusBroker, type ServiceBusBroker } from '../servicebus';
import { isPortAnswering } from './portProbe';

/** The file the broker reads its queues, topics and subscriptions from, in the official emulator's format. */
export const serviceBusConfigFile = 'servicebus-config.json';

/**
 * Starts the Service Bus broker when the app has a `servicebus-config.json` and some setting is an emulator
 * connection string (`UseDevelopmentEmulator=true` on localhost), unless something already answers on its port.
 */
export async function ensureServiceBusBroker(
  appDir: string,
  settings: Readonly<Record<string, string | undefined>>,
  options: { inMemory: boolean; logger: Logger },
): Promise<ServiceBusBroker | undefined> {
  const config = path.join(appDir, serviceBusConfigFile);
  const port = emulatorPort(settings);
  if (!existsSync(config) || port === undefined) {
    return undefined;
  }
  if (await isPortAnswering(port)) {
    options.logger.info('Using the Service Bus emulator already listening', { port });
    return undefined;
  }
  const persistenceDir = options.inMemory ? undefined : path.join(appDir, '.local', 'servicebus');
  const logger = options.logger.forCategory('Host.ServiceBus');
  const broker = await startServiceBusBroker({ port, config, persistenceDir, logger });
  options.logger.info('Service Bus broker started', {
    endpoint: `sb://localhost:${broker.port}`,
    config: serviceBusConfigFile,
    persistence: persistenceDir ? path.relative(appDir, persistenceDir) : 'in memory',
  });
  return broker;
}

/** The port of the first emulator connection string among the settings, if any. */
export function emulatorPort(settings: Readonly<Record<string, string | undefined>>): number | undefined {
  for (const value of Object.values(settings)) {
    if (!value || !/UseDevelopmentEmulator\s*=\s*true/i.test(value)) {
      continue;
    }
    const endpoint = parseConnectionString(value).get('endpoint');
    const url = endpoint ? safeUrl(endpoint) : undefined;
    if (url && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
      return url.port ? Number(url.port) : defaultServiceBusPort;
    }
  }
  return undefined;
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
