import { TableClient, TableServiceClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { ConfigurationError } from '../errors';
import type { AppSettings } from '../config/appSettings';
import { parseConnectionString } from './connectionString';
import { developmentAccount, developmentConnectionString } from './developmentAccount';

/** Clients for one storage account, made from a Functions connection setting. */
export interface StorageAccount {
  /** The connection setting's name, e.g. `AzureWebJobsStorage`. */
  readonly connectionName: string;
  readonly accountName: string;
  readonly blob: BlobServiceClient;
  readonly queue: QueueServiceClient;
  readonly tables: TableServiceClient;
  table(name: string): TableClient;
  /** A connection string for SDK clients the app or tests create (never logged). */
  readonly connectionString: string;
}

/** Where `UseDevelopmentStorage=true` points: Azurite's default ports unless the host moved it. */
export interface DevelopmentStorageEndpoint {
  host: string;
  ports: { blob: number; queue: number; table: number };
}

const defaultDevelopmentEndpoint: DevelopmentStorageEndpoint = {
  host: '127.0.0.1',
  ports: { blob: 10000, queue: 10001, table: 10002 },
};

/**
 * Resolves a storage connection the way the Functions host does: the setting itself (a connection string or
 * `UseDevelopmentStorage=true`), then `AzureWebJobs<name>`, then identity-based `<name>__serviceUri` /
 * `<name>__blobServiceUri` / `__queueServiceUri` / `__tableServiceUri`. Identity-based settings that point at
 * the local emulator use the development account key, since Azurite has no identity provider.
 */
export function resolveStorageConnectionString(
  settings: AppSettings,
  connectionName: string,
  development: DevelopmentStorageEndpoint = defaultDevelopmentEndpoint,
): string {
  const direct = settings.get(connectionName) ?? settings.get(`AzureWebJobs${connectionName}`);
  if (direct !== undefined) {
    return /^\s*UseDevelopmentStorage\s*=\s*true\s*;?\s*$/i.test(direct)
      ? developmentConnectionString(development.host, development.ports)
      : direct;
  }
  const fromUris = identityConnectionString(settings, connectionName);
  if (fromUris) {
    return fromUris;
  }
  throw new ConfigurationError(
    `Storage connection '${connectionName}' is not configured: set app setting '${connectionName}' to a ` +
      `connection string (or UseDevelopmentStorage=true), or '${connectionName}__serviceUri'.`,
    { setting: connectionName },
  );
}

/** Makes the clients for a resolved connection string. */
export function createStorageAccount(connectionName: string, connectionString: string): StorageAccount {
  const parts = parseConnectionString(connectionString);
  const accountName = parts.get('accountname') ?? developmentAccount.name;
  const allowInsecureConnection = /(^|;)\s*(DefaultEndpointsProtocol=http;|\w+Endpoint=http:)/i.test(connectionString);
  const tableOptions = { allowInsecureConnection };
  return {
    connectionName,
    accountName,
    connectionString,
    blob: BlobServiceClient.fromConnectionString(connectionString),
    queue: QueueServiceClient.fromConnectionString(connectionString),
    tables: TableServiceClient.fromConnectionString(connectionString, tableOptions),
    table: (name) => TableClient.fromConnectionString(connectionString, name, tableOptions),
  };
}

function identityConnectionString(settings: AppSettings, name: string): string | undefined {
  const blob = settings.get(`${name}__blobServiceUri`) ?? settings.get(`${name}__serviceUri`);
  const queue = settings.get(`${name}__queueServiceUri`);
  const table = settings.get(`${name}__tableServiceUri`);
  const accountName = settings.get(`${name}__accountName`);
  const endpoints = { blob, queue, table };
  if (!blob && !queue && !table && !accountName) {
    return undefined;
  }
  const isLocal = [blob, queue, table].some((uri) => uri && /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/i.test(uri));
  if (!isLocal) {
    throw new ConfigurationError(
      `Storage connection '${name}' is identity-based and points at Azure; the local platform can only reach ` +
        `storage with a connection string or the local emulator. Set '${name}' to a connection string locally.`,
      { setting: name },
    );
  }
  return [
    `DefaultEndpointsProtocol=http`,
    `AccountName=${developmentAccount.name}`,
    `AccountKey=${developmentAccount.key}`,
    ...Object.entries(endpoints)
      .filter(([, uri]) => uri)
      .map(([kind, uri]) => `${kind[0]?.toUpperCase()}${kind.slice(1)}Endpoint=${uri}`),
  ].join(';');
}
