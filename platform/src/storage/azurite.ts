import { mkdirSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { developmentAccount, developmentConnectionString } from './developmentAccount';
import { watchEmulatorWrites, type EmulatorEvents } from './emulatorEvents';
import { indexQueueMessages } from './queueMessageLookup';
import { indexTableEntities } from './tableEntityLookup';

/** Ports of a running Azurite; 0 asks for free ports. */
export interface AzuritePorts {
  blob: number;
  queue: number;
  table: number;
}

/** An Azurite instance running inside this process. */
export interface EmbeddedAzurite {
  readonly host: string;
  readonly ports: AzuritePorts;
  /** Connection string for the well-known development account on these ports. */
  readonly connectionString: string;
  /** Where data is kept; undefined when in memory. */
  readonly location: string | undefined;
  /** Tells listeners in this process about queue messages and blob writes as Azurite stores them. */
  readonly events: EmulatorEvents;
  close(): Promise<void>;
}

export interface AzuriteOptions {
  host?: string;
  ports?: Partial<AzuritePorts>;
  /** Folder for persistent data; omit for memory. */
  location?: string;
}

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}
type ServerClass = new (configuration: unknown) => AzuriteServer;
type ConfigurationClass = new (...args: unknown[]) => unknown;

/**
 * Starts Azurite's blob, queue and table servers in this process, quiet and with telemetry never started.
 * Each in-memory instance gets its own chunk store: Azurite's shared default lets one instance's `clean()`
 * wipe another's data.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<EmbeddedAzurite> {
  const host = options.host ?? '127.0.0.1';
  const location = options.location;
  const modules = loadAzuriteModules();
  const memoryStore = location ? undefined : new modules.MemoryExtentChunkStore(modules.memoryLimit);
  if (location) {
    mkdirSync(location, { recursive: true });
  }
  const at = (file: string) => (location ? path.join(location, file) : file);
  const persistence = (name: string) => [{ locationId: 'Default', locationPath: at(name), maxConcurrency: 1 }];

  // Blob and queue configurations share one argument order; the table's differs (see Azurite's *Configuration).
  const extentService = (Configuration: ConfigurationClass, port: number, name: 'blob' | 'queue') =>
    new Configuration(
      host,
      port,
      undefined, // keep-alive timeout: Azurite's default
      at(`__azurite_db_${name}__.json`),
      at(`__azurite_db_${name}_extent__.json`),
      persistence(`__${name}storage__`),
      false, // access log
      undefined,
      false, // debug log
      undefined,
      false, // loose mode
      true, // skip the API version check, so newer SDKs keep working
      '',
      '',
      '',
      undefined,
      false,
      !location, // memory persistence
      memoryStore,
    );
  const blob = new modules.BlobServer(extentService(modules.BlobConfiguration, options.ports?.blob ?? 10000, 'blob'));
  const queue = new modules.QueueServer(
    extentService(modules.QueueConfiguration, options.ports?.queue ?? 10001, 'queue'),
  );
  const table = new modules.TableServer(
    new modules.TableConfiguration(
      host,
      options.ports?.table ?? 10002,
      undefined,
      at('__azurite_db_table__.json'),
      false,
      false,
      undefined,
      undefined,
      false,
      true,
      '',
      '',
      '',
      undefined,
      false,
      !location,
    ),
  );
  const servers = [blob, queue, table];
  await startAll(servers);
  indexQueueMessages(queue);
  indexTableEntities(table);
  const events = watchEmulatorWrites({ queue, blob });

  const ports = { blob: portOf(blob), queue: portOf(queue), table: portOf(table) };
  return {
    host,
    ports,
    location,
    connectionString: developmentConnectionString(host, ports),
    events,
    async close() {
      events.close();
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

async function startAll(servers: AzuriteServer[]): Promise<void> {
  const results = await Promise.allSettled(servers.map((server) => server.start()));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.allSettled(servers.map((server) => server.close()));
    throw failure.reason;
  }
}

function portOf(server: AzuriteServer): number {
  const address = server.getHttpServerAddress();
  return Number(new URL(address).port);
}

interface AzuriteModules {
  BlobServer: ServerClass;
  BlobConfiguration: ConfigurationClass;
  QueueServer: ServerClass;
  QueueConfiguration: ConfigurationClass;
  TableServer: ServerClass;
  TableConfiguration: ConfigurationClass;
  MemoryExtentChunkStore: new (limit: number) => unknown;
  memoryLimit: number;
}

let cached: AzuriteModules | undefined;

/**
 * Loads Azurite's server classes by deep import (the package `main` is its VS Code extension). Azurite's
 * telemetry module requires `applicationinsights` at load time (about 1.3 s) although in-process servers never
 * start telemetry, so an empty stand-in is placed in the module cache first.
 */
function loadAzuriteModules(): AzuriteModules {
  if (cached) {
    return cached;
  }
  stubApplicationInsights();
  const requireAzurite = createRequire(__filename);
  const load = <T>(id: string) => (requireAzurite(`azurite/dist/src/${id}`) as { default: T }).default;
  const memory = requireAzurite('azurite/dist/src/common/persistence/MemoryExtentStore') as {
    MemoryExtentChunkStore: new (limit: number) => unknown;
    DEFAULT_EXTENT_MEMORY_LIMIT: number;
  };
  cached = {
    BlobServer: load<ServerClass>('blob/BlobServer'),
    BlobConfiguration: load<ConfigurationClass>('blob/BlobConfiguration'),
    QueueServer: load<ServerClass>('queue/QueueServer'),
    QueueConfiguration: load<ConfigurationClass>('queue/QueueConfiguration'),
    TableServer: load<ServerClass>('table/TableServer'),
    TableConfiguration: load<ConfigurationClass>('table/TableConfiguration'),
    MemoryExtentChunkStore: memory.MemoryExtentChunkStore,
    memoryLimit: memory.DEFAULT_EXTENT_MEMORY_LIMIT,
  };
  return cached;
}

function stubApplicationInsights(): void {
  let resolved: string;
  try {
    const azuriteDir = path.dirname(require.resolve('azurite/package.json'));
    resolved = require.resolve('applicationinsights', { paths: [azuriteDir] });
  } catch {
    return;
  }
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  if (cache && !cache[resolved]) {
    const stub = new Module(resolved);
    stub.exports = {};
    stub.loaded = true;
    cache[resolved] = stub;
  }
}

export { developmentAccount };
