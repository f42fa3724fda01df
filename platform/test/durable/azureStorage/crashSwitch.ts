import type { TableClient } from '@azure/data-tables';
import { LargePayloadStore } from '../../../src/durable/backend/azureStorage/largePayloads';

/** What a storage request of a simulated process fails with once that process has crashed. */
export class SimulatedCrashError extends Error {
  constructor(readonly request: number) {
    super(`Simulated crash: storage request ${request} was not sent.`);
  }
}

type TablePolicy = Parameters<TableClient['pipeline']['addPolicy']>[0];

/**
 * Fault injection on the real storage clients of one simulated process: its n-th storage request and every
 * later one fail unsent, as if the process had died between request n-1 and request n.
 */
export class CrashSwitch {
  #sent = 0;
  #crashed = false;

  constructor(private readonly crashAtRequest = Number.POSITIVE_INFINITY) {}

  /** Requests that reached storage. */
  get sent(): number {
    return this.#sent;
  }

  get crashed(): boolean {
    return this.#crashed;
  }

  /** Lets one request through, or fails it if the process has crashed by now. */
  pass(): void {
    if (!this.#crashed && this.#sent + 1 === this.crashAtRequest) {
      this.#crashed = true;
    }
    if (this.#crashed) {
      throw new SimulatedCrashError(this.#sent + 1);
    }
    this.#sent++;
  }

  /** Routes every request of a table client through the switch. */
  attachTo(table: TableClient): TableClient {
    const policy: TablePolicy = {
      name: 'crashSwitch',
      sendRequest: async (request, next) => {
        this.pass();
        return next(request);
      },
    };
    table.pipeline.addPolicy(policy);
    return table;
  }
}

/** A large-payload store whose blob requests go through a crash switch. */
export class SwitchedPayloadStore extends LargePayloadStore {
  constructor(
    container: LargePayloadStore['container'],
    private readonly crashSwitch: CrashSwitch,
  ) {
    super(container);
  }

  override async upload(blobName: string, text: string): Promise<void> {
    this.crashSwitch.pass();
    return super.upload(blobName, text);
  }

  override async download(blobName: string): Promise<string> {
    this.crashSwitch.pass();
    return super.download(blobName);
  }

  override async delete(blobName: string): Promise<void> {
    this.crashSwitch.pass();
    return super.delete(blobName);
  }
}
