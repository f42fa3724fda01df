import type { HostContext } from '../host/extension';
import { azureStorageBackendFactory } from './backend/azureStorage/azureStorageBackendFactory';
import { MemoryBackend } from './backend/memory/memoryBackend';
import type { TaskHubBackend, TaskHubBackendOptions } from './backend/types';
import type { DurableOptions } from './config/durableOptions';

/** Builds a backend for a task hub; tests may pass their own. */
export type BackendFactory = (
  options: TaskHubBackendOptions,
  context: HostContext,
  durable: DurableOptions,
) => TaskHubBackend;

/** The in-memory task hub on the host clock. */
export const memoryBackendFactory: BackendFactory = (options) =>
  new MemoryBackend({
    hubName: options.hubName,
    clock: options.clock,
    workItemVisibilityTimeoutMs: options.workItemVisibilityTimeoutMs,
  });

/** The backend host.json names: Azure Storage (the storage provider's layout) or the in-memory hub. */
export function backendFactoryFor(kind: DurableOptions['backend']): BackendFactory {
  return kind === 'memory' ? memoryBackendFactory : azureStorageBackendFactory;
}
