import type { AppSettings } from '../../config/appSettings';
import type { HostContext } from '../../host/extension';
import type { BindingDefinition } from '../../host/functionIndex';
import { azureStorageBackendFactory } from '../backend/azureStorage/azureStorageBackendFactory';
import type { TaskHubBackend, TaskHubBackendOptions } from '../backend/types';
import type { DurableOptions } from '../config/durableOptions';
import { TaskHubClient } from './taskHubClient';
import { TaskHubClients, type TaskHubTarget } from './taskHubClients';

/** What a host's task hub clients are made of. */
export interface HostTaskHubClientsOptions {
  readonly context: HostContext;
  readonly durable: DurableOptions;
  /** The host's own backend and the options it was built with (other hubs reuse them with their own name). */
  readonly backend: TaskHubBackend;
  readonly backendOptions: TaskHubBackendOptions;
  /** The host's own client. */
  readonly client: TaskHubClient;
}

/**
 * The task hub clients of a host: its own hub, and other hubs in Azure Storage under the same host.json
 * settings (partition count, timeouts), as the extension builds them from its own options.
 */
export function createHostTaskHubClients(options: HostTaskHubClientsOptions): TaskHubClients {
  const { context, durable, backend, backendOptions, client } = options;
  return new TaskHubClients({
    own: { client, hubName: durable.hubName, connectionName: toLinkConnectionName(durable.connectionName) },
    backendKind: backend.kind,
    ownConnectionSetting: durable.connectionName,
    connectionStringOf: (name) => context.storage(name).connectionString,
    createBackend: (hubName, connectionName) =>
      azureStorageBackendFactory({ ...backendOptions, hubName }, context, { connectionName }),
    createClient: (other, catalog) => new TaskHubClient(other, catalog, context.clock, durable.overridableStatuses),
  });
}

/** The connection name as the extension writes it into links: `Storage` for the default `AzureWebJobsStorage`. */
export function toLinkConnectionName(connectionSetting: string): string {
  return connectionSetting === 'AzureWebJobsStorage' ? 'Storage' : connectionSetting;
}

/**
 * The task hub and connection a `durableClient` binding names (function.json `taskHub`, with `%Setting%`
 * resolved as the attribute's AutoResolve does, and `connectionName`); absent ones mean the host's own.
 */
export function clientBindingTarget(
  binding: BindingDefinition,
  functionName: string,
  settings: AppSettings,
): TaskHubTarget {
  const taskHub = option(binding, 'taskHub');
  return {
    taskHub:
      taskHub === undefined ? undefined : settings.resolveExpressions(taskHub, { functionName, property: 'taskHub' }),
    connection: option(binding, 'connectionName'),
  };
}

function option(binding: BindingDefinition, name: string): string | undefined {
  const lower = name.toLowerCase();
  const entry = Object.entries(binding.options).find(([key]) => key.toLowerCase() === lower);
  return typeof entry?.[1] === 'string' && entry[1].trim() !== '' ? entry[1] : undefined;
}
