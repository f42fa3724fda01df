import type { ServerResponse } from 'node:http';
import type { HttpResponseParts } from './converters/fromRpcHttpResponse';

/** Writes a function's response; HEAD requests and 204/304 answers carry no body. */
export function writeHttpResponse(response: ServerResponse, parts: HttpResponseParts, method: string): void {
  const bodyless = method === 'HEAD' || parts.status === 204 || parts.status === 304 || parts.status < 200;
  if (!bodyless) {
    parts.headers['content-length'] = String(parts.body.length);
  }
  response.writeHead(parts.status, parts.headers);
  response.end(bodyless ? undefined : parts.body);
}

/**
 * Answers with a status and no body, as the host does for 401, 404, 405, 413 and failed functions.
 * `close` ends the connection afterwards, for requests whose unread body should not be drained.
 */
export function writeEmptyResponse(
  response: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
  close = false,
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { ...headers, 'content-length': '0', ...(close ? { connection: 'close' } : {}) });
  response.end();
}
