import type { IncomingMessage, ServerResponse } from 'node:http';
import { respondJson } from '../../host/httpServer';
import { DurableArgumentError } from '../client/errors';

/** Reads a request body as UTF-8 text. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A JSON body as JSON text for the engine; empty means no input. Invalid JSON is a DurableArgumentError that
 * says where it broke, as the extension answers 400 for it.
 */
export function toJsonBodyText(body: string, where: string): string | undefined {
  if (body.trim() === '') {
    return undefined;
  }
  try {
    return JSON.stringify(JSON.parse(body));
  } catch (error) {
    throw new DurableArgumentError(`Invalid JSON content in the body of ${where}: ${(error as Error).message}`);
  }
}

/** Writes a JSON response with extra headers (the host's one JSON writer). */
export const sendJson = respondJson;

/** Writes a status code with an optional error message body (ASP.NET `HttpError` shape). */
export function sendError(response: ServerResponse, status: number, message: string, detail?: string): void {
  sendJson(response, status, { Message: message, ...(detail ? { ExceptionMessage: detail } : {}) });
}

/** Writes an empty response. */
export function sendEmpty(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-length': 0, ...headers });
  response.end();
}

/** A boolean query parameter (`true`/`false`, case-insensitive), with its default. */
export function queryFlag(url: URL, name: string, fallback: boolean): boolean {
  const value = getQuery(url, name);
  return value === undefined ? fallback : value.toLowerCase() === 'true';
}

/** A query parameter, matched case-insensitively like ASP.NET does. */
export function getQuery(url: URL, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of url.searchParams) {
    if (key.toLowerCase() === lower) {
      return value;
    }
  }
  return undefined;
}
