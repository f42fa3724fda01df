import { EventEmitter } from 'node:events';

/** A message became visible in a queue of the embedded emulator. */
export interface QueueArrival {
  accountName: string;
  queueName: string;
}

/** Subscribes to message arrivals; returns the function that unsubscribes. */
export type QueueArrivalSource = (listener: (arrival: QueueArrival) => void) => () => void;

interface AzuriteQueueMessage {
  accountName: string;
  queueName: string;
  timeNextVisible: Date;
}

interface AzuriteQueueMetadataStore {
  insertMessage(message: AzuriteQueueMessage, context: unknown): Promise<void>;
}

/**
 * Reports messages as Azurite stores them, so queue listeners in the same process can stop backing off the moment
 * work arrives. A message sent with a visibility delay is reported when it becomes visible. This is a local
 * shortcut: with an external emulator or in Azure, listeners poll with the real back-off.
 */
export function watchQueueArrivals(queueServer: unknown): { source: QueueArrivalSource; close(): void } {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const pending = new Set<NodeJS.Timeout>();
  const store = (queueServer as { metadataStore?: AzuriteQueueMetadataStore }).metadataStore;
  if (store) {
    const insertMessage = store.insertMessage.bind(store);
    store.insertMessage = async (message, context) => {
      await insertMessage(message, context);
      const arrival = { accountName: message.accountName, queueName: message.queueName };
      const delayMs = message.timeNextVisible.getTime() - Date.now();
      if (delayMs <= 0) {
        emitter.emit('arrival', arrival);
      } else {
        const timer = setTimeout(() => {
          pending.delete(timer);
          emitter.emit('arrival', arrival);
        }, delayMs);
        timer.unref();
        pending.add(timer);
      }
    };
  }
  return {
    source(listener) {
      emitter.on('arrival', listener);
      return () => emitter.off('arrival', listener);
    },
    close() {
      pending.forEach((timer) => clearTimeout(timer));
      pending.clear();
      emitter.removeAllListeners();
    },
  };
}
