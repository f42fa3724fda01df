import type { IncomingMessage, ServerResponse } from 'node:http';

/** local.settings.json `Host.CORS` (comma-separated origins, `*` for any) and `Host.CORSCredentials`. */
export interface CorsPolicy {
  readonly origins: readonly string[];
  readonly credentials: boolean;
}

/**
 * Applies Core Tools' CORS policy (ASP.NET Core CORS with the configured origins, any header, any method): adds
 * the allow headers to responses for allowed origins and answers preflight requests itself.
 * Returns true when it answered the request (a preflight).
 */
export function applyCors(policy: CorsPolicy, request: IncomingMessage, response: ServerResponse): boolean {
  const origin = request.headers.origin;
  if (policy.origins.length === 0 || origin === undefined) {
    return false;
  }
  const requestedMethod = request.headers['access-control-request-method'];
  const preflight = request.method === 'OPTIONS' && requestedMethod !== undefined;
  const allowOrigin = allowedOrigin(policy, origin);

  if (allowOrigin !== undefined) {
    response.setHeader('access-control-allow-origin', allowOrigin);
    if (allowOrigin !== '*') {
      response.setHeader('vary', 'Origin');
    }
    if (policy.credentials) {
      response.setHeader('access-control-allow-credentials', 'true');
    }
  }
  if (!preflight) {
    return false;
  }
  // Preflight from an unknown origin still gets 204, only without the allow headers, as ASP.NET Core answers.
  if (allowOrigin !== undefined) {
    response.setHeader('access-control-allow-methods', requestedMethod);
    const requestedHeaders = request.headers['access-control-request-headers'];
    if (requestedHeaders) {
      response.setHeader('access-control-allow-headers', requestedHeaders);
    }
  }
  response.writeHead(204).end();
  return true;
}

/** The Access-Control-Allow-Origin value for an origin, or undefined when it is not allowed. */
export function allowedOrigin(policy: CorsPolicy, origin: string): string | undefined {
  if (policy.origins.includes('*')) {
    // With credentials the browser rejects '*', so ASP.NET echoes the origin instead.
    return policy.credentials ? origin : '*';
  }
  const normalized = origin.replace(/\/+$/, '').toLowerCase();
  return policy.origins.some((allowed) => allowed.replace(/\/+$/, '').toLowerCase() === normalized)
    ? origin
    : undefined;
}
