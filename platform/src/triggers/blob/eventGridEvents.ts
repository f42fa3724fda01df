import { PlatformError } from '../../errors';

/** What an Event Grid delivery to the blob webhook asks for. */
export interface EventGridDelivery {
  /** Set for a subscription validation handshake: echo it back as `validationResponse`. */
  readonly validationCode?: string;
  /** URLs of the blobs that `Microsoft.Storage.BlobCreated` events report. */
  readonly createdBlobUrls: readonly string[];
}

/** A body the webhook cannot read. */
export class EventGridFormatError extends PlatformError {
  readonly code = 'EventGridFormat';

  constructor(reason: string) {
    super(
      `The Event Grid delivery is not readable: ${reason}. Expected a JSON array of Event Grid or CloudEvents events.`,
    );
  }
}

/**
 * Reads an Event Grid delivery in the Event Grid schema (`eventType`, `data.url`) or the CloudEvents schema
 * (`type`, `data.url`), as the storage account's subscription posts it to `/runtime/webhooks/blobs`.
 */
export function fromEventGridDelivery(body: string): EventGridDelivery {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new EventGridFormatError('it is not JSON');
  }
  const events = Array.isArray(parsed) ? parsed : [parsed];
  const createdBlobUrls: string[] = [];
  let validationCode: string | undefined;
  for (const event of events) {
    if (typeof event !== 'object' || event === null) {
      throw new EventGridFormatError('an event is not an object');
    }
    const record = event as { eventType?: unknown; type?: unknown; data?: { url?: unknown; validationCode?: unknown } };
    const type = record.eventType ?? record.type;
    if (type === 'Microsoft.EventGrid.SubscriptionValidationEvent' && typeof record.data?.validationCode === 'string') {
      validationCode = record.data.validationCode;
    } else if (type === 'Microsoft.Storage.BlobCreated' && typeof record.data?.url === 'string') {
      createdBlobUrls.push(record.data.url);
    }
  }
  return { validationCode, createdBlobUrls };
}

/**
 * The container and blob name of a blob URL: path-style (`http://127.0.0.1:10000/<account>/<container>/<blob>`,
 * Azurite) when `accountUrl` is its prefix, else host-style (`https://<account>.blob.core.windows.net/<container>/<blob>`).
 */
export function toBlobLocation(
  blobUrl: string,
  accountUrl: string,
): { container: string; blobName: string } | undefined {
  let url: URL;
  try {
    url = new URL(blobUrl);
  } catch {
    return undefined;
  }
  const account = new URL(accountUrl);
  const accountPath = account.host === url.host ? account.pathname.replace(/\/+$/, '') : '';
  const rest = url.pathname.startsWith(`${accountPath}/`)
    ? url.pathname.slice(accountPath.length + 1)
    : url.pathname.slice(1);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) {
    return undefined;
  }
  return { container: decodeURIComponent(rest.slice(0, slash)), blobName: decodeURIComponent(rest.slice(slash + 1)) };
}
