import type { HttpRequestAction } from '../replay/actions';

/** `DurableHttpResponse` as the SDK reads it from a callHttp result. */
export interface DurableHttpResponse {
  statusCode: number;
  content: string;
  headers: Record<string, string>;
}

/**
 * Runs the built-in HTTP activity behind `context.df.callHttp`: one request, the response as the SDK expects it.
 * 202 polling is driven by the orchestration (timer, then a GET of `Location`), not here.
 */
export async function runHttpActivity(request: HttpRequestAction): Promise<DurableHttpResponse> {
  const response = await fetch(request.uri, {
    method: request.method,
    headers: request.headers,
    body:
      request.content === undefined || request.content === null || request.method === 'GET'
        ? undefined
        : request.content,
    redirect: 'manual',
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  return { statusCode: response.status, content: await response.text(), headers };
}
