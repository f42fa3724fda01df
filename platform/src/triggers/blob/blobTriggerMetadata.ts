import type { RpcTypedData } from '../../worker/rpc';

/** The blob facts a blob-trigger invocation reports, as read from storage. */
export interface BlobSnapshot {
  readonly container: string;
  readonly blobName: string;
  readonly url: string;
  readonly properties: BlobPropertiesLike;
  /** Values of the path pattern's `{tokens}`. */
  readonly tokens: Readonly<Record<string, string>>;
}

/** The subset of the storage SDK's blob properties that the trigger reports. */
export interface BlobPropertiesLike {
  readonly lastModified?: Date;
  readonly createdOn?: Date;
  readonly metadata?: Record<string, string>;
  readonly blobType?: string;
  readonly contentLength?: number;
  readonly contentType?: string;
  readonly etag?: string;
  readonly contentMD5?: Uint8Array;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  readonly leaseState?: string;
  readonly leaseStatus?: string;
  readonly accessTier?: string;
  readonly isServerEncrypted?: boolean;
}

/** Trigger metadata and binding data of one blob-trigger invocation. */
export interface BlobTriggerData {
  readonly triggerMetadata: Record<string, RpcTypedData>;
  readonly bindingData: Record<string, unknown>;
}

/**
 * Builds what the host sends with a blob trigger (st-blobs `Triggers/BlobTriggerBinding.cs`): `BlobTrigger`
 * (`<container>/<blob>`), `Uri`, `Properties`, `Metadata` and each pattern token. The library camel-cases the
 * keys, so handlers read `context.triggerMetadata.blobTrigger`, `.uri`, `.properties`, `.metadata`, `.name`.
 */
export function toBlobTriggerData(blob: BlobSnapshot): BlobTriggerData {
  const properties = toPropertiesJson(blob.properties);
  const metadata = blob.properties.metadata ?? {};
  const blobTrigger = `${blob.container}/${blob.blobName}`;

  const triggerMetadata: Record<string, RpcTypedData> = {
    BlobTrigger: { string: blobTrigger },
    Uri: { json: JSON.stringify(blob.url) },
    Properties: { json: JSON.stringify(properties) },
    Metadata: { json: JSON.stringify(metadata) },
  };
  const bindingData: Record<string, unknown> = {
    BlobTrigger: blobTrigger,
    Uri: blob.url,
    Properties: properties,
    Metadata: metadata,
  };
  for (const [token, value] of Object.entries(blob.tokens)) {
    triggerMetadata[token] = { string: value };
    bindingData[token] = value;
  }

  return { triggerMetadata, bindingData };
}

/**
 * The .NET `BlobProperties` names for the fields the local host knows. Enum values are written as names; how
 * the real host serializes them was not captured from a live host.
 */
function toPropertiesJson(p: BlobPropertiesLike): Record<string, unknown> {
  return {
    LastModified: p.lastModified?.toISOString(),
    CreatedOn: p.createdOn?.toISOString(),
    Metadata: p.metadata ?? {},
    BlobType: p.blobType,
    ContentLength: p.contentLength,
    ContentType: p.contentType,
    ETag: p.etag,
    ContentHash: p.contentMD5 ? Buffer.from(p.contentMD5).toString('base64') : undefined,
    ContentEncoding: p.contentEncoding,
    ContentDisposition: p.contentDisposition,
    ContentLanguage: p.contentLanguage,
    CacheControl: p.cacheControl,
    LeaseState: p.leaseState,
    LeaseStatus: p.leaseStatus,
    AccessTier: p.accessTier,
    IsServerEncrypted: p.isServerEncrypted,
  };
}

/** The dispatch message's `BlobType` for the SDK's blob type (`BlockBlob`, `PageBlob`, `AppendBlob`). */
export function toBlobTypeName(blobType: string | undefined): 'BlockBlob' | 'PageBlob' | 'AppendBlob' {
  if (blobType === 'PageBlob' || blobType === 'AppendBlob') {
    return blobType;
  }
  return 'BlockBlob';
}
