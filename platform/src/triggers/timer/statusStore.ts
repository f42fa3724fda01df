import { RestError, type ContainerClient } from '@azure/storage-blob';
import type { Logger } from '../../host/logger';
import { fromStatusJson, toStatusJson, type ScheduleStatus } from './scheduleStatus';

/**
 * The schedule monitor's status blob `timers/<hostId>/Host.Functions.<name>/status` in `azure-webjobs-hosts`
 * (Azure/azure-webjobs-sdk-extensions `StorageScheduleMonitor.cs`). Reads and writes are best-effort: errors are
 * logged and the schedule goes on, as in the real host.
 */
export class StatusStore {
  readonly #container: ContainerClient;
  readonly #blobName: string;
  readonly #logger: Logger;
  readonly #functionName: string;

  constructor(options: { container: ContainerClient; hostId: string; functionName: string; logger: Logger }) {
    this.#container = options.container;
    this.#blobName = `timers/${options.hostId}/Host.Functions.${options.functionName}/status`;
    this.#logger = options.logger;
    this.#functionName = options.functionName;
  }

  /** The stored status, or undefined when there is none or it cannot be read. */
  async read(): Promise<ScheduleStatus | undefined> {
    let text: string;
    try {
      const buffer = await this.#container.getBlockBlobClient(this.#blobName).downloadToBuffer();
      text = buffer.toString('utf8');
    } catch (error) {
      if (!(error instanceof RestError && error.statusCode === 404)) {
        this.#logger.warn('Timer status could not be read', {
          function: this.#functionName,
          error: (error as Error).message,
        });
      }
      return undefined;
    }
    const status = fromStatusJson(text);
    if (!status) {
      this.#logger.warn('Timer status blob is not a status record; starting afresh', {
        function: this.#functionName,
        blob: this.#blobName,
      });
    }
    return status;
  }

  async write(status: ScheduleStatus): Promise<void> {
    const text = toStatusJson(status);
    try {
      await this.#container.createIfNotExists();
      await this.#container
        .getBlockBlobClient(this.#blobName)
        .upload(text, Buffer.byteLength(text), { blobHTTPHeaders: { blobContentType: 'application/json' } });
    } catch (error) {
      this.#logger.error('Timer status could not be written', {
        function: this.#functionName,
        error: (error as Error).message,
      });
    }
  }
}
