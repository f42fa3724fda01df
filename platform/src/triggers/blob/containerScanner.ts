import type { ContainerClient } from '@azure/storage-blob';
import type { Clock } from '../../clock/clock';
import type { Logger } from '../../host/logger';
import { toBlobTypeName } from './blobTriggerMetadata';
import type { BlobVersion } from './blobReceipts';
import { statusOf } from './storageStatus';

/** Called for each new or changed blob; false asks to be called again on the next scan. */
export type BlobHandler = (blob: BlobVersion) => Promise<boolean>;

/** What one container scanner watches and where it keeps its progress. */
export interface ContainerScannerOptions {
  readonly container: ContainerClient;
  /** `azure-webjobs-hosts` of the host storage account. */
  readonly hostContainer: ContainerClient;
  /** `blobscaninfo/<hostId>/<accountName>/<container>/scanInfo`. */
  readonly scanInfoName: string;
  readonly intervalMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onBlob: BlobHandler;
}

/**
 * Lists a container on an interval and reports blobs modified since the last scan, the container-scan half of
 * the real `ScanBlobScanLogHybridPollingStrategy` (Azurite keeps no `$logs`). Progress is kept in the scan-info
 * blob `{"LatestScan": …}`, written 1 ms early as the real `StorageBlobScanInfoManager` does.
 */
export class ContainerScanner {
  readonly #options: ContainerScannerOptions;
  readonly #stop = new AbortController();
  /** Blobs a handler asked to see again (another host held their receipt lease). */
  readonly #retry = new Map<string, BlobVersion>();
  #latestScan: number | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: ContainerScannerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#loop = this.#run();
  }

  stop(): void {
    this.#stop.abort(new Error('The blob scanner is stopping.'));
  }

  async dispose(): Promise<void> {
    this.stop();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { clock, intervalMs, logger } = this.#options;
    try {
      await this.#options.container.createIfNotExists();
      this.#latestScan = await this.#readScanInfo();
    } catch (error) {
      logger.error('Blob scanner could not start', {
        container: this.#options.container.containerName,
        error: message(error),
      });
    }
    while (!this.#stop.signal.aborted) {
      try {
        await this.scanOnce();
      } catch (error) {
        logger.warn('Blob scan failed', { container: this.#options.container.containerName, error: message(error) });
      }
      try {
        await clock.sleep(intervalMs, this.#stop.signal);
      } catch {
        return;
      }
    }
  }

  /** One pass: blobs modified at or after the last scan, then blobs waiting from earlier passes. */
  async scanOnce(): Promise<void> {
    const since = this.#latestScan;
    let latest = since;
    for await (const item of this.#options.container.listBlobsFlat()) {
      if (this.#stop.signal.aborted) {
        return;
      }
      const modified = item.properties.lastModified.getTime();
      if (since !== undefined && modified < since) {
        continue;
      }
      latest = Math.max(latest ?? modified, modified);
      const version: BlobVersion = {
        container: this.#options.container.containerName,
        blobName: item.name,
        eTag: item.properties.etag,
        blobType: toBlobTypeName(item.properties.blobType),
      };
      await this.#offer(version);
    }
    for (const version of [...this.#retry.values()]) {
      await this.#offer(version);
    }
    if (latest !== undefined && latest !== since) {
      this.#latestScan = latest;
      await this.#writeScanInfo(latest - 1);
    }
  }

  async #offer(version: BlobVersion): Promise<void> {
    const key = `${version.blobName}\n${version.eTag}`;
    let handled = false;
    try {
      handled = await this.#options.onBlob(version);
    } catch (error) {
      this.#options.logger.warn('Blob could not be handed to its function', {
        blob: version.blobName,
        error: message(error),
      });
    }
    if (handled) {
      this.#retry.delete(key);
    } else {
      this.#retry.set(key, version);
    }
  }

  async #readScanInfo(): Promise<number | undefined> {
    try {
      const buffer = await this.#options.hostContainer
        .getBlockBlobClient(this.#options.scanInfoName)
        .downloadToBuffer();
      const parsed = JSON.parse(buffer.toString('utf8')) as { LatestScan?: unknown };
      const ms = typeof parsed.LatestScan === 'string' ? Date.parse(parsed.LatestScan) : NaN;
      return Number.isNaN(ms) ? undefined : ms;
    } catch (error) {
      if (statusOf(error) !== 404) {
        this.#options.logger.warn('Blob scan info unreadable; scanning the whole container', { error: message(error) });
      }
      return undefined;
    }
  }

  async #writeScanInfo(latestScan: number): Promise<void> {
    const text = JSON.stringify({ LatestScan: new Date(latestScan).toISOString().replace(/Z$/, '+00:00') });
    try {
      await this.#options.hostContainer.createIfNotExists();
      await this.#options.hostContainer
        .getBlockBlobClient(this.#options.scanInfoName)
        .upload(text, Buffer.byteLength(text));
    } catch (error) {
      this.#options.logger.warn('Blob scan info could not be written', { error: message(error) });
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
