import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RequestBodyTooLargeError } from '../errors';

/** How a forwarded request ended. */
export type ForwardingResult = 'relayed' | 'noResponse' | 'tooLarge' | 'failed';

/** Headers that describe one connection and are not passed along. */
const connectionHeaders = ['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer'];

/**
 * HTTP streaming mode (`app.setup({ enableHttpStream: true })`): the host sends the worker an empty `http` input
 * and forwards the real request to the worker's `HttpUri` with `x-ms-invocation-id`; the worker answers on that
 * connection, and the host relays the answer as it streams. Source: library `src/http/httpProxy.ts`.
 */
export class StreamingForwarder {
  readonly #target: URL;
  readonly #agent = new Agent({ keepAlive: true });

  constructor(httpUri: string) {
    this.#target = new URL(httpUri);
  }

  /** Starts forwarding one request under the invocation id the worker is about to run. */
  forward(invocationId: string, request: IncomingMessage, response: ServerResponse, limit: number): Forwarding {
    return new Forwarding(this.#target, this.#agent, { invocationId, request, response, limit });
  }

  /** Closes idle connections to the worker's proxy. */
  close(): void {
    this.#agent.destroy();
  }
}

/** One request on its way to the worker and its answer on its way back. */
export class Forwarding {
  readonly #outbound: ReturnType<typeof httpRequest>;
  readonly #response: ServerResponse;
  readonly #done: Promise<ForwardingResult>;
  #answered = false;
  #result: ForwardingResult | undefined;

  constructor(
    target: URL,
    agent: Agent,
    call: { invocationId: string; request: IncomingMessage; response: ServerResponse; limit: number },
  ) {
    const { request, response } = call;
    this.#response = response;
    this.#outbound = httpRequest(new URL(request.url ?? '/', target), {
      method: request.method,
      agent,
      headers: {
        ...withoutConnectionHeaders(request.headers),
        'x-ms-invocation-id': call.invocationId,
        'x-forwarded-host': request.headers.host ?? target.host,
        'x-forwarded-proto': 'http',
      },
    });
    const answer = new Promise<ForwardingResult>((resolve) => {
      this.#outbound.once('response', (workerResponse) => {
        this.#answered = true;
        resolve(relay(workerResponse, response));
      });
      // 'on', not 'once': a destroyed request may report more than one error, and each must be handled.
      this.#outbound.on('error', () => resolve('failed'));
    });
    // Plain pipe, not pipeline: a failure on the way to the worker must not destroy the client's connection.
    const upload = new Promise<ForwardingResult>((resolve) => {
      const limiter = limitBytes(call.limit);
      limiter.once('error', (error) => {
        request.unpipe(limiter);
        this.#outbound.destroy();
        resolve(error instanceof RequestBodyTooLargeError ? 'tooLarge' : 'failed');
      });
      request.pipe(limiter).pipe(this.#outbound);
    });
    response.once('close', () => {
      if (!response.writableFinished) {
        this.#outbound.destroy();
      }
    });
    this.#done = Promise.race([answer, upload]);
    void this.#done.then((result) => (this.#result = result));
  }

  /** How forwarding ended, once it has. */
  get result(): ForwardingResult | undefined {
    return this.#result;
  }

  /**
   * Resolves once the worker's answer has been relayed. After the invocation succeeded the answer is already on
   * its way; if it has not started within `graceMs`, the function returned no response (`noResponse`).
   */
  async settle(graceMs: number): Promise<ForwardingResult> {
    if (this.#answered) {
      return this.#done;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ForwardingResult>((resolve) => {
      timer = setTimeout(() => resolve(this.#answered ? this.#done : 'noResponse'), graceMs);
    });
    try {
      return await Promise.race([this.#done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves when the request was relayed, refused as too large, or failed. */
  get done(): Promise<ForwardingResult> {
    return this.#done;
  }

  /** Gives up on the worker's answer (the function failed or returned nothing). */
  abort(): void {
    this.#outbound.destroy();
    if (this.#response.headersSent && !this.#response.writableEnded) {
      this.#response.destroy();
    }
  }
}

async function relay(workerResponse: IncomingMessage, response: ServerResponse): Promise<ForwardingResult> {
  const headers = withoutConnectionHeaders(workerResponse.headers);
  delete headers['x-ms-invocation-id'];
  delete headers['transfer-encoding'];
  response.writeHead(workerResponse.statusCode ?? 200, headers);
  try {
    await pipeline(workerResponse, response);
    return 'relayed';
  } catch {
    return 'failed';
  }
}

function withoutConnectionHeaders<T extends Record<string, unknown>>(headers: T): T {
  const copy = { ...headers };
  for (const name of connectionHeaders) {
    delete copy[name];
  }
  return copy;
}

/** Passes bytes through until more than `limit` have gone by, then fails with RequestBodyTooLargeError. */
function limitBytes(limit: number): Transform {
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      received += chunk.length;
      callback(received > limit ? new RequestBodyTooLargeError(limit, received) : null, chunk);
    },
  });
}
