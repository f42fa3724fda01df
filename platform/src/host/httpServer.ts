import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRoutes, RawHttpHandler } from './extension';
import type { Logger } from './logger';

/**
 * The host's one HTTP listener. Extensions register path prefixes (the HTTP trigger its route prefix, the
 * Durable extension its webhooks, the host its admin API); the longest matching prefix serves the request.
 */
export class HostHttpServer implements HttpRoutes {
  readonly #server: Server;
  /** Prefixes stored lower-case, longest first: the first match is the most specific. */
  readonly #routes: { prefix: string; handler: RawHttpHandler }[] = [];
  readonly #logger: Logger;
  #ready = false;

  constructor(logger: Logger) {
    this.#logger = logger;
    this.#server = createServer((request, response) => void this.#dispatch(request, response));
    this.#server.keepAliveTimeout = 65_000;
  }

  addPrefix(prefix: string, handler: RawHttpHandler): void {
    this.#routes.push({ prefix: prefix.toLowerCase(), handler });
    this.#routes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** Listens on the port (0 for a free one) and returns the port in use. */
  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    return (this.#server.address() as AddressInfo).port;
  }

  /** Until the host is ready, requests get 503 instead of a misleading 404. */
  markReady(): void {
    this.#ready = true;
  }

  /** Stops listening: idle keep-alive connections close at once, busy ones get `graceMs` to finish. */
  async close(graceMs = 5_000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    const timer = setTimeout(() => this.#server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(timer);
  }

  async #dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
    if (!this.#ready) {
      respondText(response, 503, 'The Functions host is starting.');
      return;
    }
    const path = url.pathname.toLowerCase();
    const route = this.#routes.find((r) => path.startsWith(r.prefix));
    if (!route) {
      respondText(response, 404, '');
      return;
    }
    try {
      await route.handler(request, response, url);
    } catch (error) {
      this.#logger.error('HTTP request failed in the host', { path: url.pathname, error: (error as Error).message });
      if (!response.headersSent) {
        respondText(response, 500, 'Internal Server Error');
      } else {
        response.destroy();
      }
    }
  }
}

/** Writes a short plain-text response. */
export function respondText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Writes a JSON response. */
export function respondJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
