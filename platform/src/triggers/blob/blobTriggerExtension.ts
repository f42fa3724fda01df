import type { QueueClient } from '@azure/storage-queue';
import { ConfigurationError } from '../../errors';
import type { Extension, HostContext } from '../../host/extension';
import type { FunctionDefinition } from '../../host/functionIndex';
import type { Logger } from '../../host/logger';
import type { StorageAccount } from '../../storage/storageAccount';
import { BlobInvoker } from './blobInvoker';
import { matchBlobPath } from './blobPathPattern';
import { BlobReceipts, type BlobVersion } from './blobReceipts';
import {
  readBlobsOptions,
  toBlobTriggerFunction,
  type BlobsOptions,
  type BlobTriggerFunction,
} from './blobTriggerFunction';
import { toBlobTypeName } from './blobTriggerMetadata';
import { ContainerScanner } from './containerScanner';
import { DispatchQueueListener } from './dispatchQueueListener';
import { blobWebhookPrefix, createBlobWebhook } from './blobWebhook';
import { statusOf } from './storageStatus';

/** Functions watching one container of one account. */
interface WatchedContainer {
  readonly account: StorageAccount;
  readonly container: string;
  readonly functions: BlobTriggerFunction[];
}

/**
 * The blob trigger. Every container with blob-trigger functions is scanned about once a second (the real host
 * scans every 10 s and reads storage logs, which Azurite lacks), so a new blob runs within about 1.2 s locally
 * (see README.md); blobs this host's output bindings write are looked at at once. `source: 'EventGrid'` functions
 * also get Event Grid deliveries on `/runtime/webhooks/blobs`, and are scanned too because Azurite emits no Event
 * Grid events. Receipts hand each blob version over once; a shared queue runs the functions.
 */
export class BlobTriggerExtension implements Extension {
  readonly name = 'blob-trigger';
  readonly bindingTypes = ['blobTrigger'];
  readonly #scanIntervalMs: number;
  #context: HostContext | undefined;
  #functions: BlobTriggerFunction[] = [];
  #blobsOptions: BlobsOptions | undefined;
  #watched: WatchedContainer[] = [];
  #scanners: ContainerScanner[] = [];
  #dispatch: DispatchQueueListener | undefined;
  /** Receipts per connection: they live in the triggering blob's account (st-blobs `BlobListenerFactory.cs`). */
  readonly #receipts = new Map<string, BlobReceipts>();
  #logger: Logger | undefined;
  /** The ETag last handed over per function and blob, so rescans skip the receipt round trips. */
  readonly #handedOver = new Map<string, string>();
  #unsubscribe: (() => void) | undefined;

  /** `scanIntervalMs` sets how often containers are listed; default 1 s. */
  constructor(options: { scanIntervalMs?: number } = {}) {
    this.#scanIntervalMs = options.scanIntervalMs ?? 1_000;
  }

  initialize(context: HostContext): Promise<void> {
    this.#context = context;
    this.#logger = context.logger.forCategory('Host.Triggers.Blob');
    this.#functions = context.functions
      .filter((fn) => fn.trigger.type.toLowerCase() === 'blobtrigger')
      .map((fn) => toBlobTriggerFunction(fn, context.settings));
    this.#blobsOptions = this.#functions.length > 0 ? readBlobsOptions(context.hostJson) : undefined;
    for (const f of this.#functions) {
      requireStorage(context, f.fn.name, f.connection);
      requireStorage(context, f.fn.name, 'AzureWebJobsStorage');
    }
    if (this.#functions.some((f) => f.source === 'EventGrid')) {
      context.http.addPrefix(
        blobWebhookPrefix,
        createBlobWebhook({
          functions: this.#functions.filter((f) => f.source === 'EventGrid'),
          storage: (name) => context.storage(name),
          offer: (f, version) => this.#offer([f], version),
          logger: this.#logger,
        }),
      );
    }
    return Promise.resolve();
  }

  async start(): Promise<void> {
    const context = this.#context;
    const logger = this.#logger;
    if (!context || !logger || this.#functions.length === 0) {
      return;
    }
    const host = context.storage();
    const hostContainer = host.blob.getContainerClient('azure-webjobs-hosts');
    const dispatchQueue = host.queue.getQueueClient(`azure-webjobs-blobtrigger-${context.hostId}`);
    await hostContainer.createIfNotExists();
    await dispatchQueue.createIfNotExists();

    for (const connection of new Set(this.#functions.map((f) => f.connection))) {
      const receiptContainer = context.storage(connection).blob.getContainerClient('azure-webjobs-hosts');
      await receiptContainer.createIfNotExists();
      this.#receipts.set(
        connection,
        new BlobReceipts({ hostContainer: receiptContainer, hostId: context.hostId, dispatchQueue, logger }),
      );
    }
    this.#dispatch = this.#createDispatch(context, logger, dispatchQueue);
    this.#watched = watchedContainers(this.#functions, (name) => context.storage(name));
    this.#scanners = this.#watched.map(
      (watched) =>
        new ContainerScanner({
          container: watched.account.blob.getContainerClient(watched.container),
          hostContainer,
          scanInfoName: `blobscaninfo/${context.hostId}/${watched.account.accountName}/${watched.container}/scanInfo`,
          intervalMs: this.#scanIntervalMs,
          clock: context.clock,
          logger,
          onBlob: (version) => this.#offer(watched.functions, version),
        }),
    );

    this.#unsubscribe = context.events.on('blobWritten', (written) => void this.#onBlobWritten(written));
    this.#dispatch.start();
    this.#scanners.forEach((scanner) => scanner.start());
  }

  stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#scanners.forEach((scanner) => scanner.stop());
    this.#dispatch?.stop();
    return Promise.resolve();
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.#scanners.map((scanner) => scanner.dispose()), this.#dispatch?.dispose()]);
  }

  describeFunction(fn: FunctionDefinition): string | undefined {
    const found = this.#functions.find((f) => f.fn === fn);
    return found ? `path '${found.pattern.text}' (${found.source})` : undefined;
  }

  #createDispatch(context: HostContext, logger: Logger, queue: QueueClient): DispatchQueueListener {
    const options = this.#blobsOptions ?? readBlobsOptions(context.hostJson);
    const invoker = new BlobInvoker({
      functions: this.#functions,
      storage: (name) => context.storage(name),
      executor: context.executor,
      logger,
      queueName: queue.name,
      maxDequeueCount: options.poisonBlobThreshold,
    });
    return new DispatchQueueListener({
      queue,
      concurrency: options.maxDegreeOfParallelism,
      clock: context.clock,
      logger,
      handle: (message) => invoker.handle(message),
    });
  }

  /** Hands a blob version to each matching function; false when another host holds a receipt lease. */
  async #offer(functions: readonly BlobTriggerFunction[], version: BlobVersion): Promise<boolean> {
    let handled = true;
    for (const f of functions) {
      const receipts = this.#receipts.get(f.connection);
      if (!receipts) {
        return false;
      }
      const key = `${f.fn.name}\n${version.container}\n${version.blobName}`;
      if (!matchBlobPath(f.pattern, version.blobName) || this.#handedOver.get(key) === version.eTag) {
        continue;
      }
      const result = await receipts.claim(f.fn.name, version);
      if (result === 'busy') {
        handled = false;
        continue;
      }
      this.#handedOver.set(key, version.eTag);
      if (result === 'enqueued') {
        this.#dispatch?.kick();
      }
    }
    return handled;
  }

  /** An output binding of this host wrote a blob: look at it now instead of at the next scan. */
  async #onBlobWritten(written: { accountName: string; container: string; blobName: string }): Promise<void> {
    const watched = this.#watched.find(
      (w) => w.account.accountName === written.accountName && w.container === written.container,
    );
    if (!watched) {
      return;
    }
    try {
      const properties = await watched.account.blob
        .getContainerClient(written.container)
        .getBlobClient(written.blobName)
        .getProperties();
      if (!properties.etag) {
        return;
      }
      const version: BlobVersion = {
        container: written.container,
        blobName: written.blobName,
        eTag: properties.etag,
        blobType: toBlobTypeName(properties.blobType),
      };
      await this.#offer(watched.functions, version);
    } catch (error) {
      if (statusOf(error) !== 404) {
        this.#logger?.warn('Written blob could not be handed to its function', {
          blob: `${written.container}/${written.blobName}`,
          error: (error as Error).message,
        });
      }
    }
  }
}

function watchedContainers(
  functions: readonly BlobTriggerFunction[],
  storage: (connectionName: string) => StorageAccount,
): WatchedContainer[] {
  const groups = new Map<string, WatchedContainer>();
  for (const f of functions) {
    const key = `${f.connection}\n${f.pattern.container}`;
    let group = groups.get(key);
    if (!group) {
      group = { account: storage(f.connection), container: f.pattern.container, functions: [] };
      groups.set(key, group);
    }
    group.functions.push(f);
  }
  return [...groups.values()];
}

/** The blob's account and the host account (receipts, dispatch queue) must be configured before listening. */
function requireStorage(context: HostContext, functionName: string, connectionName: string): void {
  try {
    context.storage(connectionName);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      throw new ConfigurationError(`Function '${functionName}' (blob trigger): ${error.message}`, {
        ...error.where,
        functionName,
      });
    }
    throw error;
  }
}
