import { setMaxListeners } from 'node:events';
import type { Logger } from '../../host/logger';

/** One kind of work a loop pulls and processes (orchestrations or activities). */
export interface WorkSource<T> {
  readonly name: string;
  lockNext(signal: AbortSignal): Promise<T | undefined>;
  process(item: T): Promise<void>;
}

/**
 * Runs `concurrency` loops that pull work items and process them, like DTFx's WorkItemDispatcher. `stop` ends the
 * pulls and waits for the items in hand, so nothing is left half checkpointed by a graceful shutdown.
 */
export class WorkItemLoops<T> {
  readonly #source: WorkSource<T>;
  readonly #concurrency: number;
  readonly #logger: Logger;
  readonly #stopping = new AbortController();
  #loops: Promise<void>[] = [];
  #inHand = 0;

  constructor(source: WorkSource<T>, concurrency: number, logger: Logger) {
    this.#source = source;
    this.#concurrency = concurrency;
    this.#logger = logger;
    // Every parked loop listens on the one stop signal.
    setMaxListeners(0, this.#stopping.signal);
  }

  start(): void {
    for (let i = 0; i < this.#concurrency; i++) {
      this.#loops.push(this.#run());
    }
  }

  /** Work items being processed now. */
  get inHand(): number {
    return this.#inHand;
  }

  async stop(): Promise<void> {
    this.#stopping.abort(new Error('The Durable dispatcher is stopping.'));
    await Promise.allSettled(this.#loops);
    this.#loops = [];
  }

  async #run(): Promise<void> {
    const signal = this.#stopping.signal;
    while (!signal.aborted) {
      let item: T | undefined;
      try {
        item = await this.#source.lockNext(signal);
        if (item !== undefined) {
          this.#inHand++;
          try {
            await this.#source.process(item);
          } finally {
            this.#inHand--;
          }
        }
      } catch (error) {
        this.#logger.error('Durable work item failed', {
          dispatcher: this.#source.name,
          error: error instanceof Error ? error.message : String(error),
        });
        if (item === undefined) {
          await pause(signal, 1_000);
        }
      }
    }
  }
}

/** Waits a real-time moment after a receive error, so a broken connection is not retried in a hot loop. */
function pause(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
