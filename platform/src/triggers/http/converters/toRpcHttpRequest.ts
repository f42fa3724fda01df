import type { RpcNullableString, RpcTypedData } from '../../../worker/rpc';

/** The parts of an incoming request the host hands to the worker. */
export interface HttpRequestParts {
  readonly method: string;
  /** Absolute URL as the client addressed it, e.g. `http://localhost:7071/api/orders/42?verbose=1`. */
  readonly url: string;
  /** Headers by lower-case name, as `headerMap` builds them. */
  readonly headers: Readonly<Record<string, string>>;
  /** Query values by name, as `queryMap` builds them. */
  readonly query: Readonly<Record<string, string>>;
  /** Route values that matched; optional parameters left out are absent. */
  readonly params: Readonly<Record<string, string>>;
  readonly body: Uint8Array | undefined;
}

/**
 * Encodes a request as the host sends an HTTP trigger's input to a worker with the Node.js worker's capabilities
 * (UseNullableValueDictionaryForHttp, RawHttpBodyBytes, IgnoreEmptyValuedRpcHttpHeaders): lower-cased header
 * names, nullable-value maps, and a `bytes` body only when there is one. Source: host `ToRpcHttp`.
 */
export function toRpcHttpRequest(request: HttpRequestParts): RpcTypedData {
  const http: NonNullable<RpcTypedData['http']> = {
    method: request.method,
    url: request.url,
    nullableHeaders: toNullableMap(request.headers),
    nullableQuery: toNullableMap(request.query),
    nullableParams: toNullableMap(request.params),
  };
  if (request.body && request.body.length > 0) {
    http.body = { bytes: request.body };
  }
  return { http };
}

/**
 * Headers by lower-case name; repeated headers are joined with a comma as ASP.NET's StringValues prints them.
 * Empty values are left out (IgnoreEmptyValuedRpcHttpHeaders).
 */
export function headerMap(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const value = rawHeaders[i + 1] as string;
    if (value === '') {
      continue;
    }
    const name = (rawHeaders[i] as string).toLowerCase();
    const existing = headers[name];
    headers[name] = existing === undefined ? value : `${existing},${value}`;
  }
  return headers;
}

/** Query values by name; a repeated name's values are joined with a comma, as the host does. */
export function queryMap(query: URLSearchParams): Record<string, string> {
  const result: Record<string, string> = {};
  query.forEach((value, name) => {
    const existing = result[name];
    result[name] = existing === undefined ? value : `${existing},${value}`;
  });
  return result;
}

function toNullableMap(map: Readonly<Record<string, string>>): Record<string, RpcNullableString> {
  const result: Record<string, RpcNullableString> = {};
  for (const name in map) {
    result[name] = { value: map[name] };
  }
  return result;
}
