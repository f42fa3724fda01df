import { EventEmitter } from 'node:events';

/** Things one part of the host tells another: an output binding wrote where a listener is watching. */
export interface HostEventMap {
  /** An output binding added a message; the queue listener for it polls at once instead of backing off. */
  queueMessageAdded: { accountName: string; queueName: string };
  /** An output binding wrote a blob; the blob listener looks at it without waiting for its next scan. */
  blobWritten: { accountName: string; container: string; blobName: string };
}

/** A typed event bus between extensions of one host. */
export class HostEvents {
  readonly #emitter = new EventEmitter();

  emit<K extends keyof HostEventMap>(event: K, payload: HostEventMap[K]): void {
    this.#emitter.emit(event, payload);
  }

  on<K extends keyof HostEventMap>(event: K, listener: (payload: HostEventMap[K]) => void): () => void {
    this.#emitter.on(event, listener);
    return () => this.#emitter.off(event, listener);
  }
}
