import { parentPort, workerData } from 'node:worker_threads';
import { ensureError } from '../../errors';
import { LanguageWorker } from '../languageWorker';
import { toSerializedError } from './errors';
import type { FromWorkerThread, ToWorkerThread, WorkerThreadData } from './protocol';

/** Entry point of the thread `ThreadedWorker` starts: a `LanguageWorker` driven by messages. */
function serve(port: NonNullable<typeof parentPort>): void {
  const post = (message: FromWorkerThread) => port.postMessage(message);
  const { appDir } = workerData as WorkerThreadData;
  // Only the ids cross: the invocation also carries the library's context object, which is the thread's own.
  const worker = new LanguageWorker(appDir, (entry, invocation) =>
    post({
      kind: 'log',
      entry,
      invocation: invocation && { invocationId: invocation.invocationId, functionName: invocation.functionName },
    }),
  );

  port.on('message', (message: ToWorkerThread) => {
    switch (message.kind) {
      case 'start':
        worker.start().then(
          (registered) =>
            post({
              kind: 'started',
              functions: registered.map(({ metadata, scriptFile }) => ({ metadata, scriptFile })),
              capabilities: worker.capabilities,
            }),
          (error: unknown) => post({ kind: 'startFailed', error: toSerializedError(ensureError(error)) }),
        );
        break;
      case 'invoke': {
        const { invocationId } = message.request;
        void worker
          .invoke(message.request)
          .then((response) => post({ kind: 'invoked', response }))
          .catch((error: unknown) => {
            // A response the thread cannot send (a value postMessage cannot copy) fails the invocation instead.
            const { message: reason, stack } = ensureError(error);
            post({
              kind: 'invoked',
              response: {
                invocationId,
                result: { status: 'failure', exception: { message: reason, stackTrace: stack } },
              },
            });
          });
        break;
      }
      case 'terminate':
        void worker
          .terminate()
          .then((errors) => post({ kind: 'terminated', errors: errors.map((error) => toSerializedError(error)) }));
        break;
    }
  });
}

if (parentPort) {
  serve(parentPort);
}
