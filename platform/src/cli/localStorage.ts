import path from 'node:path';
import type { Logger } from '../host/logger';
import type { EmbeddedAzurite } from '../storage/azurite';
import { startAzuriteThread } from '../storage/azuriteThread';
import type { DevelopmentStorageEndpoint } from '../storage/storageAccount';
import { isPortAnswering } from './portProbe';

const defaultPorts = { blob: 10000, queue: 10001, table: 10002 };

/**
 * Decides where `UseDevelopmentStorage=true` points: an Azurite that already answers on 10000–10002 is used as
 * it is; otherwise Azurite starts in a worker thread of this process, where it has a core of its own, persistent
 * under `.local/azurite` unless in memory.
 */
export async function ensureDevelopmentStorage(
  appDir: string,
  options: { inMemory: boolean; logger: Logger },
): Promise<{ endpoint: DevelopmentStorageEndpoint; embedded: EmbeddedAzurite | undefined }> {
  const endpoint = { host: '127.0.0.1', ports: defaultPorts };
  const answering = await Promise.all(Object.values(defaultPorts).map((port) => isPortAnswering(port)));
  if (answering.every(Boolean)) {
    options.logger.info('Using the storage emulator already listening', { blobPort: defaultPorts.blob });
    return { endpoint, embedded: undefined };
  }
  const location = options.inMemory ? undefined : path.join(appDir, '.local', 'azurite');
  const embedded = await startAzuriteThread({ ports: defaultPorts, location });
  options.logger.info('Azurite started', {
    blob: `http://127.0.0.1:${embedded.ports.blob}`,
    queue: `http://127.0.0.1:${embedded.ports.queue}`,
    table: `http://127.0.0.1:${embedded.ports.table}`,
    persistence: location ? path.relative(appDir, location) : 'in memory',
  });
  return { endpoint, embedded };
}

/** True when the storage connection is the local emulator (or not set at all). */
export function usesDevelopmentStorage(value: string | undefined): boolean {
  return value === undefined || /^\s*UseDevelopmentStorage\s*=\s*true\s*;?\s*$/i.test(value);
}
