import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AppWorker, FunctionRegistration } from '../appWorker';
import type { WorkerLogHandler } from '../languageWorker';
import type { InvocationRequest, InvocationResponse } from '../rpc';
import { fromSerializedError } from './errors';
import type { FromWorkerThread, ToWorkerThread, WorkerThreadData } from './protocol';

type Reply<K extends FromWorkerThread['kind']> = Extract<FromWorkerThread, { kind: K }>;

/**
 * Runs the language worker in a worker thread, so the app and the host each get a core, as the real host runs
 * the Node.js worker in a process of its own. Runs from the compiled platform (`platform/dist`), where the
 * thread's entry script exists. Should the thread die, invocations in flight and later ones fail with the reason.
 */
export class ThreadedWorker implements AppWorker {
  capabilities: Readonly<Record<string, string>> = {};
  readonly #thread: Worker;
  readonly #log: WorkerLogHandler;
  readonly #invocations = new Map<string, (response: InvocationResponse) => void>();
  readonly #replies = new Map<'started' | 'terminated', (reply: FromWorkerThread) => void>();
  #lost: Error | undefined;

  constructor(appDir: string, log: WorkerLogHandler) {
    this.#log = log;
    const workerData: WorkerThreadData = { appDir };
    this.#thread = new Worker(path.join(__dirname, 'workerThreadMain.js'), { workerData });
    this.#thread.on('message', (message: FromWorkerThread) => this.#receive(message));
    this.#thread.on('error', (error) => this.#lose(error));
    this.#thread.on('exit', (code) => this.#lose(new Error(`The worker thread exited with code ${code}.`)));
  }

  async start(): Promise<FunctionRegistration[]> {
    const reply = await this.#request({ kind: 'start' }, 'started');
    if (reply.kind === 'startFailed') {
      throw fromSerializedError(reply.error);
    }
    const started = reply as Reply<'started'>;
    this.capabilities = started.capabilities;
    return started.functions;
  }

  invoke(request: InvocationRequest): Promise<InvocationResponse> {
    if (this.#lost) {
      return Promise.resolve(lostResponse(request.invocationId, this.#lost));
    }
    return new Promise((resolve) => {
      this.#invocations.set(request.invocationId, resolve);
      this.#post({ kind: 'invoke', request });
    });
  }

  async terminate(): Promise<Error[]> {
    if (this.#lost) {
      return [];
    }
    const reply = (await this.#request({ kind: 'terminate' }, 'terminated')) as Reply<'terminated'>;
    return reply.errors.map((error) => fromSerializedError(error));
  }

  async close(): Promise<void> {
    await this.#thread.terminate();
  }

  #request(message: ToWorkerThread, reply: 'started' | 'terminated'): Promise<FromWorkerThread> {
    if (this.#lost) {
      return Promise.reject(this.#lost);
    }
    return new Promise((resolve) => {
      this.#replies.set(reply, resolve);
      this.#post(message);
    });
  }

  #post(message: ToWorkerThread): void {
    this.#thread.postMessage(message);
  }

  #receive(message: FromWorkerThread): void {
    switch (message.kind) {
      case 'log':
        this.#log(message.entry, message.invocation);
        return;
      case 'invoked': {
        const resolve = this.#invocations.get(message.response.invocationId);
        this.#invocations.delete(message.response.invocationId);
        resolve?.(message.response);
        return;
      }
      case 'started':
      case 'startFailed':
        this.#settle('started', message);
        return;
      case 'terminated':
        this.#settle('terminated', message);
        return;
    }
  }

  #settle(reply: 'started' | 'terminated', message: FromWorkerThread): void {
    const resolve = this.#replies.get(reply);
    this.#replies.delete(reply);
    resolve?.(message);
  }

  #lose(reason: Error): void {
    if (this.#lost) {
      return;
    }
    this.#lost = reason;
    for (const [invocationId, resolve] of this.#invocations) {
      resolve(lostResponse(invocationId, reason));
    }
    this.#invocations.clear();
    const failed = { name: 'Error', message: reason.message, stack: reason.stack, code: undefined };
    this.#settle('started', { kind: 'startFailed', error: failed });
    this.#settle('terminated', { kind: 'terminated', errors: [failed] });
  }
}

function lostResponse(invocationId: string, reason: Error): InvocationResponse {
  return {
    invocationId,
    result: { status: 'failure', exception: { message: reason.message, stackTrace: reason.stack } },
  };
}
