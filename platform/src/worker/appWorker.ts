import type { RegisteredFunction } from './coreApi';
import type { InvocationRequest, InvocationResponse } from './rpc';

/** What the host needs of a registered function: its metadata and entry file, not its callback. */
export type FunctionRegistration = Pick<RegisteredFunction, 'metadata' | 'scriptFile'>;

/**
 * The language worker as the host drives it: `LanguageWorker` in the host's thread, or `ThreadedWorker` running
 * it in a worker thread, as the real host runs the Node.js worker in a process of its own.
 */
export interface AppWorker {
  /** Capabilities reported once `start` has resolved. */
  readonly capabilities: Readonly<Record<string, string>>;
  /** Loads the app, runs appStart hooks and returns what it registered. */
  start(): Promise<FunctionRegistration[]>;
  /** One invocation; a function's failure comes back as a failure result, not a rejection. */
  invoke(request: InvocationRequest): Promise<InvocationResponse>;
  /** Runs appTerminate hooks and returns their errors. */
  terminate(): Promise<Error[]>;
  /** Releases what runs the app (the worker thread); after `terminate`, or instead of it when start-up failed. */
  close(): Promise<void>;
}
