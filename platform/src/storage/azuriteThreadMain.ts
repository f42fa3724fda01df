import { parentPort, workerData } from 'node:worker_threads';
import { startAzurite, type AzuriteOptions } from './azurite';
import type { FromAzuriteThread, ToAzuriteThread } from './azuriteThreadMessages';

/** Entry point of the worker thread started by `startAzuriteThread`: runs Azurite and relays its events. */
async function run(port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (message: FromAzuriteThread) => port.postMessage(message);
  try {
    const azurite = await startAzurite(workerData as AzuriteOptions);
    azurite.events.onQueueMessage((arrival) => post({ kind: 'queue', arrival }));
    azurite.events.onBlobWritten((write) => post({ kind: 'blob', write }));
    port.on('message', (message: ToAzuriteThread) => {
      if (message.kind === 'close') {
        void azurite.close().finally(() => post({ kind: 'closed' }));
      }
    });
    post({ kind: 'ready', host: azurite.host, ports: azurite.ports, location: azurite.location });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    post({ kind: 'failed', message: failure.message ?? String(error), code: failure.code });
  }
}

if (parentPort) {
  void run(parentPort);
}
