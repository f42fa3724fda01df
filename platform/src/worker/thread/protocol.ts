import type { CoreLogCategory, CoreLogLevel } from '../coreTypes';
import type { FunctionRegistration } from '../appWorker';
import type { InvocationRequest, InvocationResponse } from '../rpc';

/** An error as it crosses the thread boundary; `code` names the platform error class it was. */
export interface SerializedError {
  name: string;
  message: string;
  stack: string | undefined;
  code: string | undefined;
}

/** Messages from the host's thread to the worker thread. */
export type ToWorkerThread = { kind: 'start' } | { kind: 'invoke'; request: InvocationRequest } | { kind: 'terminate' };

/** Messages from the worker thread to the host's thread. */
export type FromWorkerThread =
  | { kind: 'started'; functions: FunctionRegistration[]; capabilities: Record<string, string> }
  | { kind: 'startFailed'; error: SerializedError }
  | { kind: 'invoked'; response: InvocationResponse }
  | { kind: 'terminated'; errors: SerializedError[] }
  | {
      kind: 'log';
      entry: { level: CoreLogLevel; category: CoreLogCategory; message: string };
      invocation: { invocationId: string; functionName: string } | undefined;
    };

/** The worker thread's `workerData`. */
export interface WorkerThreadData {
  appDir: string;
}
