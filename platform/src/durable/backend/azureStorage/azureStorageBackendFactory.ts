import { readDuration, readPositiveNumber, readSection } from '../../../config/hostJson';
import type { HostContext } from '../../../host/extension';
import type { TaskHubBackendOptions } from '../types';
import { AzureStorageTaskHubBackend } from './azureStorageBackend';
import type { LeaseTimings } from './leases/partitionLeaseManager';

/**
 * Builds the Azure Storage task hub for a host: the storage account of `storageProvider.connectionName`
 * (default `AzureWebJobsStorage`), plus the provider settings the common options do not carry. Shaped like the
 * engine's backend factory so `backendFactory.ts` can hand it over unchanged.
 */
export function azureStorageBackendFactory(
  options: TaskHubBackendOptions,
  context: HostContext,
  durable: { connectionName: string },
): AzureStorageTaskHubBackend {
  const provider = readSection(
    context.hostJson.raw,
    ['extensions', 'durableTask', 'storageProvider'],
    context.hostJson.file,
  );
  const file = context.hostJson.file;
  const at = (key: string) => `extensions.durableTask.storageProvider.${key}`;
  return new AzureStorageTaskHubBackend({
    ...options,
    storage: context.storage(durable.connectionName),
    controlQueueBufferThreshold: readPositiveNumber(
      provider.controlQueueBufferThreshold,
      at('controlQueueBufferThreshold'),
      file,
    ),
    leaseTimings: readLeaseTimings(provider, at, file),
  });
}

/**
 * `leaseInterval`, `leaseRenewInterval` and `leaseAcquireInterval` are DTFx settings the Functions extension does
 * not expose in host.json; this platform reads them from `storageProvider` so tests and demos of several hosts
 * can hand partitions over in seconds.
 */
function readLeaseTimings(
  provider: Record<string, unknown>,
  at: (key: string) => string,
  file: string,
): Partial<LeaseTimings> {
  const timings: { -readonly [K in keyof LeaseTimings]?: number } = {};
  const lease = readDuration(provider.leaseInterval, at('leaseInterval'), file);
  const renew = readDuration(provider.leaseRenewInterval, at('leaseRenewInterval'), file);
  const acquire = readDuration(provider.leaseAcquireInterval, at('leaseAcquireInterval'), file);
  if (lease !== undefined) {
    // Azure blob leases last 15 to 60 seconds.
    timings.leaseIntervalMs = Math.min(60_000, Math.max(15_000, lease));
  }
  if (renew !== undefined) {
    timings.renewIntervalMs = renew;
  }
  if (acquire !== undefined) {
    timings.acquireIntervalMs = acquire;
  }
  return timings;
}
