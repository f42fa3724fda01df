import { EventEmitter } from 'node:events';

/** A message became visible in a queue of the embedded emulator. */
export interface QueueArrival {
  accountName: string;
  queueName: string;
}

/** A block blob was created or replaced in the embedded emulator. */
export interface BlobWrite {
  accountName: string;
  container: string;
  blobName: string;
}

/**
 * What the embedded Azurite tells listeners in the same process, so they can stop backing off or waiting for the
 * next container scan the moment work arrives. This is a local shortcut: with an external emulator or in Azure,
 * listeners poll and scan exactly as the real host does.
 */
export interface EmulatorEvents {
  onQueueMessage(listener: (arrival: QueueArrival) => void): () => void;
  onBlobWritten(listener: (write: BlobWrite) => void): () => void;
}

interface AzuriteQueueMessage {
  accountName: string;
  queueName: string;
  timeNextVisible: Date;
}

interface AzuriteBlob {
  accountName: string;
  containerName: string;
  name: string;
}

type AsyncMethod = (...args: never[]) => Promise<unknown>;

/**
 * Wraps the Azurite metadata-store methods that store queue messages and commit block blobs, reporting each
 * write after Azurite has made it. A message sent with a visibility delay is reported when it becomes visible.
 */
export function watchEmulatorWrites(servers: { queue: unknown; blob: unknown }): EmulatorEvents & { close(): void } {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const pending = new Set<NodeJS.Timeout>();
  const later = (delayMs: number, emit: () => void) => {
    const timer = setTimeout(() => {
      pending.delete(timer);
      emit();
    }, delayMs);
    timer.unref();
    pending.add(timer);
  };

  afterCall(servers.queue, 'insertMessage', (message: AzuriteQueueMessage) => {
    const arrival: QueueArrival = { accountName: message.accountName, queueName: message.queueName };
    const delayMs = message.timeNextVisible.getTime() - Date.now();
    if (delayMs <= 0) {
      emitter.emit('queue', arrival);
    } else {
      later(delayMs, () => emitter.emit('queue', arrival));
    }
  });
  const onBlob = (blob: AzuriteBlob) =>
    emitter.emit('blob', { accountName: blob.accountName, container: blob.containerName, blobName: blob.name });
  afterCall(servers.blob, 'createBlob', (_context: unknown, blob: AzuriteBlob) => onBlob(blob));
  afterCall(servers.blob, 'commitBlockList', (_context: unknown, blob: AzuriteBlob) => onBlob(blob));

  return {
    ...emulatorEventsOf(emitter),
    close() {
      pending.forEach((timer) => clearTimeout(timer));
      pending.clear();
      emitter.removeAllListeners();
    },
  };
}

/** Subscriptions to an emitter that emits `queue` with a QueueArrival and `blob` with a BlobWrite. */
export function emulatorEventsOf(emitter: EventEmitter): EmulatorEvents {
  const subscribe =
    <T>(event: string) =>
    (listener: (payload: T) => void) => {
      emitter.on(event, listener);
      return () => void emitter.off(event, listener);
    };
  return { onQueueMessage: subscribe<QueueArrival>('queue'), onBlobWritten: subscribe<BlobWrite>('blob') };
}

/** Replaces `server.metadataStore[method]` with a version that calls `report` with its arguments once it resolves. */
function afterCall<A extends unknown[]>(server: unknown, method: string, report: (...args: A) => void): void {
  const store = (server as { metadataStore?: Record<string, AsyncMethod> }).metadataStore;
  const original = store?.[method];
  if (!store || typeof original !== 'function') {
    return;
  }
  store[method] = async (...args: never[]) => {
    const result = await original.apply(store, args);
    report(...(args as unknown as A));
    return result;
  };
}
