import { ConfigurationError } from '../../errors';
import type { TaskHubBackend } from '../backend/types';
import { DurableArgumentError } from './errors';
import { TaskHubClient, type ClientCatalog } from './taskHubClient';

/** The task hub and connection a client request names (`taskHub` / `connection`); absent means the host's own. */
export interface TaskHubTarget {
  readonly taskHub?: string;
  readonly connection?: string;
}

/** A client and the names its management links carry. */
export interface ResolvedTaskHubClient {
  readonly client: TaskHubClient;
  readonly hubName: string;
  /** Connection setting name as the links spell it (`Storage` for `AzureWebJobsStorage`). */
  readonly connectionName: string;
}

/** What the clients of other task hubs are built from. */
export interface TaskHubClientsOptions {
  /** The host's own hub: its client, hub name and connection name as the links spell it. */
  readonly own: ResolvedTaskHubClient;
  /** `memory` serves only the own hub; `azureStorage` reaches any hub in any configured storage account. */
  readonly backendKind: string;
  /**
   * The storage account's connection string of a connection setting, to tell whether two names reach one
   * account; throws ConfigurationError when the setting is not configured.
   */
  readonly connectionStringOf: (connectionName: string) => string;
  /** The own hub's connection setting name (e.g. `AzureWebJobsStorage`). */
  readonly ownConnectionSetting: string;
  /** An unstarted backend for another hub: client operations only, no partitions or listeners. */
  readonly createBackend: (hubName: string, connectionName: string) => TaskHubBackend;
  /** Builds a client over a backend; other hubs get a catalog that accepts any function name. */
  readonly createClient: (backend: TaskHubBackend, catalog: ClientCatalog) => TaskHubClient;
}

// Explicit task hub names of the Azure Storage provider: a letter, then letters and digits, 3–45 long.
const hubNamePattern = /^[A-Za-z][A-Za-z0-9]{2,44}$/;

// A client for another app's hub cannot know that app's functions, so the extension skips its function checks
// (source: ext `ContextImplementations/DurableClient.cs` ClientReferencesCurrentApp).
const anyFunction: ClientCatalog = { orchestrator: (name) => name, entity: (name) => name };

/**
 * The clients the HTTP API and the `durableClient` binding use: the host's own task hub, or another one named by
 * `taskHub` / `connection`, created on first use and kept (source: ext `HttpApiHandler.cs` GetClient,
 * `DurableTaskExtension.cs` GetClient with its client cache, `AzureStorageDurabilityProviderFactory.cs`).
 */
export class TaskHubClients {
  readonly #options: TaskHubClientsOptions;
  readonly #others = new Map<string, Promise<TaskHubClient>>();

  constructor(options: TaskHubClientsOptions) {
    this.#options = options;
  }

  /** The host's own task hub client. */
  get own(): ResolvedTaskHubClient {
    return this.#options.own;
  }

  /**
   * The client for the named hub and connection. Throws DurableArgumentError (HTTP 400) for an invalid hub name,
   * an unconfigured connection setting, or another hub while the task hub is in memory.
   */
  resolve(target: TaskHubTarget): Promise<ResolvedTaskHubClient> {
    const own = this.#options.own;
    const hubName = nonBlank(target.taskHub) ?? own.hubName;
    const connection = nonBlank(target.connection);
    const sameHub = hubName.toLowerCase() === own.hubName.toLowerCase();
    if (sameHub && (connection === undefined || this.#isOwnConnectionName(connection))) {
      return Promise.resolve(own);
    }
    if (this.#options.backendKind === 'memory') {
      return Promise.reject(
        new DurableArgumentError(
          `The in-memory task hub serves only task hub '${own.hubName}' on connection '${own.connectionName}', ` +
            `but the request names task hub '${hubName}' on connection '${connection ?? own.connectionName}'. ` +
            `Use the azureStorage backend to reach other task hubs.`,
        ),
      );
    }
    if (!hubNamePattern.test(hubName)) {
      return Promise.reject(
        new DurableArgumentError(
          `Task hub name '${hubName}' is not valid: expected a letter, then letters or digits, 3–45 characters.`,
        ),
      );
    }
    return this.#other(hubName, connection);
  }

  #isOwnConnectionName(connection: string): boolean {
    const normalized = (name: string) => name.toLowerCase().replace(/^azurewebjobs/, '');
    return [this.#options.ownConnectionSetting, this.#options.own.connectionName].some(
      (name) => normalized(name) === normalized(connection),
    );
  }

  /** `connection` absent means the host's own setting; the links then spell it as the host's links do. */
  async #other(hubName: string, connection: string | undefined): Promise<ResolvedTaskHubClient> {
    const own = this.#options.own;
    const setting = connection ?? this.#options.ownConnectionSetting;
    const connectionString = this.#connectionString(setting);
    const linkName = connection ?? own.connectionName;
    if (hubName.toLowerCase() === own.hubName.toLowerCase() && connectionString === this.#ownConnectionString()) {
      return { ...own, connectionName: linkName };
    }
    // Keyed by account, not by setting name: two settings for one account reach the same hub.
    const key = `${hubName.toLowerCase()}\n${connectionString}`;
    let client = this.#others.get(key);
    if (!client) {
      client = this.#connect(hubName, setting);
      this.#others.set(key, client);
      // A failed creation is not kept, so the next request tries again (as DTFx's EnsureTaskHubAsync does).
      void client.catch(() => this.#others.delete(key));
    }
    return { client: await client, hubName, connectionName: linkName };
  }

  async #connect(hubName: string, connectionSetting: string): Promise<TaskHubClient> {
    const backend = this.#options.createBackend(hubName, connectionSetting);
    // DTFx creates a missing task hub on the first client operation (AzureStorageOrchestrationService).
    await backend.createIfNotExists();
    return this.#options.createClient(backend, anyFunction);
  }

  #ownConnectionString(): string {
    return this.#connectionString(this.#options.ownConnectionSetting);
  }

  #connectionString(connectionName: string): string {
    try {
      return this.#options.connectionStringOf(connectionName);
    } catch (error) {
      if (error instanceof ConfigurationError) {
        // The extension answers 500 ("Unable to resolve the Azure Storage connection named …",
        // AzureStorageAccountProvider.cs); an argument error says more to the caller.
        throw new DurableArgumentError(
          `Connection '${connectionName}' named by the request is not configured: set app setting ` +
            `'${connectionName}' (or 'AzureWebJobs${connectionName}') to a storage connection string.`,
        );
      }
      throw error;
    }
  }
}

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
