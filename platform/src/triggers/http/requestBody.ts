import type { IncomingMessage } from 'node:http';
import { RequestBodyTooLargeError } from './errors';

/** True when the request announces a body: a non-zero Content-Length or chunked transfer encoding. */
export function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/** Throws RequestBodyTooLargeError when Content-Length alone already exceeds the limit. */
export function checkDeclaredLength(request: IncomingMessage, limit: number): void {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) {
    throw new RequestBodyTooLargeError(limit, declared);
  }
}

/**
 * Reads the whole request body, failing with RequestBodyTooLargeError as soon as it grows past `limit` bytes
 * (chunked uploads carry no Content-Length to check up front).
 */
export async function readRequestBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  checkDeclaredLength(request, limit);
  if (!hasBody(request)) {
    return Buffer.alloc(0);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    received += buffer.length;
    if (received > limit) {
      throw new RequestBodyTooLargeError(limit, received);
    }
    chunks.push(buffer);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received);
}
