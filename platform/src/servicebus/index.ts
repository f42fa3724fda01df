import { ConfigurationError } from '../errors';
import { emulatorNamespaceName, fromEmulatorConfig, loadConfigFile } from './config/configFile';
import type { NamespaceConfig } from './config/entityConfig';
import { Namespace } from './entities/namespace';
import { silentLogger, type BrokerLogger } from './logger';
import { FileJournal } from './persistence/fileJournal';
import { memoryJournal, type MessageJournal } from './persistence/messageJournal';
import { JournalReplay, snapshotOf } from './persistence/restore';
import { BrokerServer } from './server/brokerServer';

export type { BrokerLogger, BrokerLogFields } from './logger';
export { silentLogger } from './logger';

/** The official emulator's key name and key (its documented connection string uses these). */
export const emulatorKeys: Readonly<Record<string, string>> = { RootManageSharedAccessKey: 'SAS_KEY_VALUE' };

/** The official emulator's AMQP port. */
export const defaultServiceBusPort = 5672;

/** How to start the broker. Every field is optional. */
export interface ServiceBusBrokerOptions {
  /** TCP port; 0 picks a free one. Default 5672, the emulator's port. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1, which `sb://localhost` reaches. */
  host?: string;
  /** A Config.json path, or its parsed content, in the official emulator's format. Default: no entities. */
  config?: string | object;
  /** Folder for the message journal; undefined keeps messages in memory only (tests). */
  persistenceDir?: string;
  /** SAS key names and keys accepted on `$cbs`. Default: the emulator's `RootManageSharedAccessKey`. */
  keys?: Readonly<Record<string, string>>;
  /** Receives connection, link and entity events at debug, and one ready line at info. */
  logger?: BrokerLogger;
}

/** A running broker. */
export interface ServiceBusBroker {
  readonly host: string;
  readonly port: number;
  /** A connection string for the first key, in the emulator's form. It contains the key: never log it. */
  readonly connectionString: string;
  /** Closes client connections (the SDK reconnects when the broker comes back), then the journal. */
  stop(): Promise<void>;
}

/**
 * Starts the local Service Bus broker: an AMQP 1.0 server the unmodified `@azure/service-bus` SDK talks to
 * with the official emulator's connection string, serving the queues, topics and subscriptions of a
 * Config.json. With `persistenceDir` messages survive a restart.
 */
export async function startServiceBusBroker(options: ServiceBusBrokerOptions = {}): Promise<ServiceBusBroker> {
  const logger = options.logger ?? silentLogger;
  const keys = options.keys ?? emulatorKeys;
  const host = options.host ?? '127.0.0.1';
  const namespaceConfig = readConfig(options.config, logger);
  const { namespace, journal, fileJournal, restored } = openNamespace(namespaceConfig, options.persistenceDir, logger);

  const server = new BrokerServer({ namespace, journal, keys, logger });
  const requestedPort = options.port ?? defaultServiceBusPort;
  let port: number;
  try {
    port = await server.listen(host, requestedPort);
  } catch (error) {
    fileJournal?.close();
    throw listenError(error, host, requestedPort);
  }
  logger.info('Service Bus broker ready', {
    host,
    port,
    queues: namespaceConfig.queues.length,
    topics: namespaceConfig.topics.length,
    persistence: options.persistenceDir ?? 'memory',
    restoredMessages: restored,
  });

  const [keyName, key] = Object.entries(keys)[0] ?? ['', ''];
  let stopped: Promise<void> | undefined;
  return {
    host,
    port,
    connectionString:
      `Endpoint=sb://localhost:${port};SharedAccessKeyName=${keyName};SharedAccessKey=${key};` +
      'UseDevelopmentEmulator=true;',
    stop: () => {
      stopped ??= server.close().then(() => {
        fileJournal?.close();
        logger.debug('Service Bus broker stopped', { port });
      });
      return stopped;
    },
  };
}

/** The namespace with its messages: restored from the journal in `persistenceDir`, or empty in memory. */
function openNamespace(config: NamespaceConfig, persistenceDir: string | undefined, logger: BrokerLogger) {
  if (persistenceDir === undefined) {
    return {
      namespace: new Namespace(config, memoryJournal),
      journal: memoryJournal,
      fileJournal: undefined,
      restored: 0,
    };
  }
  const replay = new JournalReplay();
  const fileJournal = FileJournal.open(persistenceDir, logger, (record) => replay.apply(record));
  const namespace = new Namespace(config, fileJournal);
  const restored = replay.restoreInto(namespace, logger);
  fileJournal.setSnapshotSource(() => snapshotOf(namespace));
  fileJournal.compact();
  const journal: MessageJournal = fileJournal;
  return { namespace, journal, fileJournal, restored };
}

function listenError(error: unknown, host: string, port: number): Error {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return new ConfigurationError(
      `Cannot listen on ${host}:${port}: the port is in use (another broker, or the Service Bus emulator ` +
        `container, may be running). Stop it or choose another port.`,
      { setting: 'port' },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function readConfig(config: string | object | undefined, logger: BrokerLogger): NamespaceConfig {
  if (config === undefined) {
    return { name: emulatorNamespaceName, queues: [], topics: [] };
  }
  const loaded = typeof config === 'string' ? loadConfigFile(config) : fromEmulatorConfig(config, 'inline config');
  for (const warning of loaded.warnings) {
    logger.warn('Service Bus config property ignored', { detail: warning });
  }
  return loaded.namespace;
}
