import { createRequire } from 'node:module';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { ConnectionNotConfiguredError } from './errors';
import { settings } from './names';

/** Clients for the app's storage account, made once per process from the `AzureWebJobsStorage` connection. */
export interface Storage {
  readonly accountName: string;
  readonly blobs: BlobServiceClient;
  readonly queues: QueueServiceClient;
  readonly tables: TableServiceClient;
  container(name: string): ContainerClient;
  queue(name: string): QueueClient;
  table(name: string): TableClient;
}

type Env = Record<string, string | undefined>;

// The storage emulator's public development account (documented for Azurite); not a secret.
const developmentAccountName = 'devstoreaccount1';
const developmentAccountKey =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** The connection string `UseDevelopmentStorage=true` stands for: Azurite on its default ports. */
export const developmentStorageConnectionString = [
  'DefaultEndpointsProtocol=http',
  `AccountName=${developmentAccountName}`,
  `AccountKey=${developmentAccountKey}`,
  `BlobEndpoint=http://127.0.0.1:10000/${developmentAccountName}`,
  `QueueEndpoint=http://127.0.0.1:10001/${developmentAccountName}`,
  `TableEndpoint=http://127.0.0.1:10002/${developmentAccountName}`,
].join(';');

/** Where the storage clients point and how they authenticate, resolved from app settings. */
export type StorageTarget =
  | { kind: 'connectionString'; connectionString: string; accountName: string; insecure: boolean }
  | { kind: 'identity'; accountName: string; blobUrl: string; queueUrl: string; tableUrl: string; clientId?: string };

/**
 * Resolves the storage connection the way the Functions host does: a connection string (or
 * `UseDevelopmentStorage=true`) in the setting itself, else identity-based `<name>__accountName` or
 * `<name>__blobServiceUri` / `__queueServiceUri` / `__tableServiceUri`.
 */
export function toStorageTarget(env: Env, connection: string = settings.storageConnection): StorageTarget {
  const direct = env[connection]?.trim();
  if (direct) {
    const connectionString = /^UseDevelopmentStorage=true;?$/i.test(direct)
      ? developmentStorageConnectionString
      : direct;
    return {
      kind: 'connectionString',
      connectionString,
      accountName: /AccountName=([^;]+)/i.exec(connectionString)?.[1] ?? developmentAccountName,
      // @azure/data-tables refuses plain http without this flag; only emulators are served over http.
      insecure: /DefaultEndpointsProtocol=http;|Endpoint=http:/i.test(connectionString),
    };
  }
  const accountName = env[`${connection}__accountName`]?.trim();
  const blobUrl = env[`${connection}__blobServiceUri`]?.trim();
  if (!accountName && !blobUrl) {
    throw new ConnectionNotConfiguredError(
      connection,
      `set '${connection}' to a connection string (or UseDevelopmentStorage=true), or '${connection}__accountName' ` +
        'for an identity-based connection.',
    );
  }
  const name = accountName ?? new URL(blobUrl as string).hostname.split('.')[0] ?? '';
  const clientId = env[`${connection}__clientId`]?.trim();
  return {
    kind: 'identity',
    accountName: name,
    blobUrl: blobUrl ?? `https://${name}.blob.core.windows.net`,
    queueUrl: env[`${connection}__queueServiceUri`]?.trim() ?? `https://${name}.queue.core.windows.net`,
    tableUrl: env[`${connection}__tableServiceUri`]?.trim() ?? `https://${name}.table.core.windows.net`,
    ...(clientId ? { clientId } : {}),
  };
}

/** The credential for identity-based connections: the user-assigned identity when a client id is set. */
export function credentialFor(clientId: string | undefined): TokenCredential {
  const { DefaultAzureCredential, ManagedIdentityCredential } = loadIdentity();
  return clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
}

// @azure/identity takes about 0.1 s to load and only identity-based connections (in Azure) need it.
function loadIdentity(): typeof import('@azure/identity') {
  return createRequire(__filename)('@azure/identity') as typeof import('@azure/identity');
}

/** Makes the clients for a resolved target. */
export function createStorage(target: StorageTarget): Storage {
  let blobs: BlobServiceClient;
  let queues: QueueServiceClient;
  let tables: TableServiceClient;
  let table: (name: string) => TableClient;
  if (target.kind === 'connectionString') {
    const tableOptions = { allowInsecureConnection: target.insecure };
    blobs = BlobServiceClient.fromConnectionString(target.connectionString);
    queues = QueueServiceClient.fromConnectionString(target.connectionString);
    tables = TableServiceClient.fromConnectionString(target.connectionString, tableOptions);
    table = (name) => TableClient.fromConnectionString(target.connectionString, name, tableOptions);
  } else {
    const credential = credentialFor(target.clientId);
    blobs = new BlobServiceClient(target.blobUrl, credential);
    queues = new QueueServiceClient(target.queueUrl, credential);
    tables = new TableServiceClient(target.tableUrl, credential);
    table = (name) => new TableClient(target.tableUrl, name, credential);
  }
  return {
    accountName: target.accountName,
    blobs,
    queues,
    tables,
    container: (name) => blobs.getContainerClient(name),
    queue: (name) => queues.getQueueClient(name),
    table,
  };
}

let shared: { key: string; storage: Storage } | undefined;

/**
 * The process-wide storage clients (SDK clients are safe to share and keep their connections warm); made again
 * when the connection setting changes, which only tests do.
 */
export function getStorage(): Storage {
  const key = JSON.stringify(toStorageTarget(process.env));
  if (shared?.key !== key) {
    shared = { key, storage: createStorage(toStorageTarget(process.env)) };
  }
  return shared.storage;
}
