import { EventEmitter } from 'node:events';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AzuriteOptions, EmbeddedAzurite } from './azurite';
import type { FromAzuriteThread, ToAzuriteThread } from './azuriteThreadMessages';
import { developmentConnectionString } from './developmentAccount';
import { emulatorEventsOf } from './emulatorEvents';

/**
 * Starts Azurite like `startAzurite`, but in a worker thread of this process, so that the emulator and the host
 * each get a core; queue and blob events still reach this thread's listeners. Runs from the compiled platform
 * (`platform/dist`), where the thread's entry script exists.
 */
export function startAzuriteThread(options: AzuriteOptions = {}): Promise<EmbeddedAzurite> {
  const worker = new Worker(path.join(__dirname, 'azuriteThreadMain.js'), { workerData: options });
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);

  return new Promise((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`The Azurite thread exited with code ${code} while starting.`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.on('message', (message: FromAzuriteThread) => {
      switch (message.kind) {
        case 'ready':
          worker.off('error', reject);
          worker.off('exit', onExit);
          resolve(threadHandle(worker, emitter, message));
          break;
        case 'failed':
          void worker.terminate();
          reject(Object.assign(new Error(message.message), { code: message.code }));
          break;
        case 'queue':
          emitter.emit('queue', message.arrival);
          break;
        case 'blob':
          emitter.emit('blob', message.write);
          break;
        case 'closed':
          emitter.emit('closed');
          break;
      }
    });
  });
}

function threadHandle(
  worker: Worker,
  emitter: EventEmitter,
  ready: Extract<FromAzuriteThread, { kind: 'ready' }>,
): EmbeddedAzurite {
  return {
    host: ready.host,
    ports: ready.ports,
    location: ready.location,
    connectionString: developmentConnectionString(ready.host, ready.ports),
    events: emulatorEventsOf(emitter),
    async close() {
      const closed = new Promise((resolve) => {
        emitter.once('closed', resolve);
        worker.once('exit', resolve);
      });
      worker.postMessage({ kind: 'close' } satisfies ToAzuriteThread);
      await closed;
      emitter.removeAllListeners();
      await worker.terminate();
    },
  };
}
