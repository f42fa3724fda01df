/**
 * The URLs the extension hands out: the management payload of a started instance (reference durable.md §13.4)
 * and the `durableClient` binding data (§12.1). `<base>` is `<origin>/runtime/webhooks/durabletask`.
 */

/** Path of the Durable webhooks under the host's origin. */
export const webhookPath = '/runtime/webhooks/durabletask';

/** Where the management URLs point and which query string they carry. */
export interface LinkContext {
  origin: string;
  hubName: string;
  connectionName: string;
}

/** `taskHub=<hub>&connection=<conn>`; locally there is no system key, so no `code`. */
export function requiredQueryString(context: LinkContext): string {
  return `taskHub=${encodeURIComponent(context.hubName)}&connection=${encodeURIComponent(context.connectionName)}`;
}

/** Management payload of an instance: status, event, terminate, purge, restart, suspend, resume (and rewind). */
export function toManagementPayload(
  context: LinkContext,
  instanceId: string,
  options: { includeRewind: boolean },
): Record<string, string> {
  const base = `${context.origin}${webhookPath}/instances/${encodeURIComponent(instanceId)}`;
  const qs = requiredQueryString(context);
  const payload: Record<string, string> = {
    id: instanceId,
    purgeHistoryDeleteUri: `${base}?${qs}`,
    sendEventPostUri: `${base}/raiseEvent/{eventName}?${qs}`,
    statusQueryGetUri: `${base}?${qs}`,
    terminatePostUri: `${base}/terminate?reason={text}&${qs}`,
    suspendPostUri: `${base}/suspend?reason={text}&${qs}`,
    resumePostUri: `${base}/resume?reason={text}&${qs}`,
    restartPostUri: `${base}/restart?${qs}`,
  };
  if (options.includeRewind) {
    payload.rewindPostUri = `${base}/rewind?reason={text}&${qs}`;
  }
  return payload;
}

/** The `durableClient` input binding's JSON, with `rpcBaseUrl` pointing at this host's webhooks. */
export function toClientBindingData(context: LinkContext): Record<string, unknown> {
  const base = `${context.origin}${webhookPath}`;
  const qs = requiredQueryString(context);
  const managementUrls = toManagementPayload(context, 'INSTANCEID', { includeRewind: true });
  return {
    taskHubName: context.hubName,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${qs}`,
      createAndWaitOnNewInstancePostUri:
        `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}` +
        `&pollingInterval={intervalInSeconds}&${qs}`,
    },
    managementUrls: { ...managementUrls, id: 'INSTANCEID' },
    baseUrl: base,
    requiredQueryStringParameters: qs,
    // Trailing slash required: the SDK resolves `new URL('instances/…', rpcBaseUrl)`.
    rpcBaseUrl: `${base}/`,
    httpBaseUrl: base,
    connectionName: context.connectionName,
  };
}
