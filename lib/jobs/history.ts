import type { DurableClient } from 'durable-functions';

/**
 * Reads an instance's history through the durable HTTP API. The SDK's `getStatus(..., {showHistory})` drops it: the
 * extension answers `historyEvents` but the status class copies `history` (Azure/azure-functions-durable-js#620).
 * Returns undefined when the API cannot be reached.
 */
export async function readHistory(
  client: DurableClient,
  instanceId: string,
  requestUrl: string,
): Promise<unknown[] | undefined> {
  // The SDK rewrites the origin to localhost:7071 when WEBSITE_HOSTNAME is unset (df-js getClient); the request's own
  // origin reaches this app's host wherever it runs, as createCheckStatusResponse does.
  const url = new URL(client.createHttpManagementPayload(instanceId).statusQueryGetUri);
  const origin = new URL(requestUrl);
  url.protocol = origin.protocol;
  url.host = origin.host;
  url.searchParams.set('showHistory', 'true');
  url.searchParams.set('showHistoryOutput', 'true');
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) {
      return undefined;
    }
    const body = (await response.json()) as { historyEvents?: unknown[]; history?: unknown[] };
    return body.historyEvents ?? body.history;
  } catch {
    return undefined;
  }
}
