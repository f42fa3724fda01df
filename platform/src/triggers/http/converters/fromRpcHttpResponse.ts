import type { RpcHttpCookie, RpcTypedData } from '../../../worker/rpc';
import { InvalidHttpResponseError } from '../errors';

/** An HTTP response ready to write: status, headers (Set-Cookie as a list) and the whole body. */
export interface HttpResponseParts {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/** Headers the host sets itself (framing) or that only apply to one connection. */
const hopByHopHeaders = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade']);

/**
 * Decodes what an HTTP function returned on `$return`. No value means no response object, which the host turns
 * into 204 No Content (its HttpBinding wraps null in an ObjectResult; azure-functions-python-worker#74).
 */
export function fromRpcHttpResponse(returnValue: RpcTypedData | null | undefined): HttpResponseParts {
  if (returnValue === null || returnValue === undefined || isEmpty(returnValue)) {
    return { status: 204, headers: {}, body: Buffer.alloc(0) };
  }
  const http = returnValue.http;
  if (!http) {
    return { status: 200, headers: {}, body: bodyBytes(returnValue) };
  }

  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(http.headers ?? {})) {
    if (!hopByHopHeaders.has(name.toLowerCase())) {
      headers[name.toLowerCase()] = String(value);
    }
  }
  const cookies = (http.cookies ?? []).map(toSetCookieHeader);
  if (cookies.length > 0) {
    headers['set-cookie'] = cookies;
  }
  return { status: statusOf(http.statusCode), headers, body: http.body ? bodyBytes(http.body) : Buffer.alloc(0) };
}

/**
 * One Set-Cookie line as ASP.NET Core writes it for the host: name and value escaped like Uri.EscapeDataString,
 * lower-case attributes; SameSite only when the function chose one (`none` on the wire means unspecified).
 */
export function toSetCookieHeader(cookie: RpcHttpCookie): string {
  const parts = [`${escapeCookiePart(cookie.name)}=${escapeCookiePart(cookie.value)}`];
  const expires = cookie.expires?.value?.seconds;
  if (expires !== undefined) {
    parts.push(`expires=${new Date(Number(expires) * 1000).toUTCString()}`);
  }
  const maxAge = cookie.maxAge?.value;
  if (maxAge !== undefined) {
    parts.push(`max-age=${Math.trunc(maxAge)}`);
  }
  if (cookie.domain?.value) {
    parts.push(`domain=${cookie.domain.value}`);
  }
  if (cookie.path?.value) {
    parts.push(`path=${cookie.path.value}`);
  }
  if (cookie.secure?.value) {
    parts.push('secure');
  }
  const sameSite = sameSiteOf(cookie.sameSite);
  if (sameSite) {
    parts.push(`samesite=${sameSite}`);
  }
  if (cookie.httpOnly?.value) {
    parts.push('httponly');
  }
  return parts.join('; ');
}

function sameSiteOf(value: RpcHttpCookie['sameSite']): string | undefined {
  switch (value) {
    case 'lax':
    case 1:
      return 'lax';
    case 'strict':
    case 2:
      return 'strict';
    case 'explicitNone':
    case 3:
      return 'none';
    default:
      return undefined;
  }
}

function escapeCookiePart(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function statusOf(statusCode: string | undefined): number {
  if (statusCode === undefined || statusCode === '') {
    return 200;
  }
  const status = Number(statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 999) {
    throw new InvalidHttpResponseError(
      `The HTTP response's status must be an integer from 100 to 999, but is '${statusCode}'.`,
    );
  }
  return status;
}

function bodyBytes(data: RpcTypedData): Buffer {
  if (data.bytes) {
    return Buffer.from(data.bytes.buffer, data.bytes.byteOffset, data.bytes.byteLength);
  }
  if (data.string !== undefined) {
    return Buffer.from(data.string, 'utf8');
  }
  if (data.json !== undefined) {
    return Buffer.from(data.json, 'utf8');
  }
  if (data.int !== undefined || data.double !== undefined) {
    return Buffer.from(String(data.int ?? data.double), 'utf8');
  }
  return Buffer.alloc(0);
}

function isEmpty(value: RpcTypedData): boolean {
  for (const key in value) {
    if (value[key as keyof RpcTypedData] !== undefined && value[key as keyof RpcTypedData] !== null) {
      return false;
    }
  }
  return true;
}
