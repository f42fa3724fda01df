import { PlatformError } from '../../errors';

/** The message that hands a detected blob to the function, on queue `azure-webjobs-blobtrigger-<hostId>`. */
export interface BlobTriggerMessage {
  /** `Host.Functions.<name>` for Node apps. */
  readonly functionId: string;
  readonly blobType: 'BlockBlob' | 'PageBlob' | 'AppendBlob';
  readonly containerName: string;
  readonly blobName: string;
  readonly eTag: string;
}

/** A dispatch-queue message that is not a blob-trigger message. */
export class BlobTriggerMessageFormatError extends PlatformError {
  readonly code = 'BlobTriggerMessageFormat';

  constructor(
    readonly queueName: string,
    readonly messageId: string,
    reason: string,
  ) {
    super(
      `Message '${messageId}' on queue '${queueName}' is not a blob trigger message: ${reason}. Expected JSON ` +
        `{"Type":"BlobTrigger","FunctionId":…,"BlobType":…,"ContainerName":…,"BlobName":…,"ETag":…}.`,
    );
  }
}

/**
 * An ETag as .NET's `Azure.ETag.ToString()` gives it, without the quotes of the HTTP header; the real host writes
 * it so in dispatch messages and receipt paths (docs show `blobreceipts/…/0x8D1DC6E70A277EF/…`).
 */
export function toMessageETag(headerETag: string): string {
  return headerETag.replace(/^"(.*)"$/, '$1');
}

/** The quoted HTTP form of an ETag from a message, for `If-Match`. */
export function toHeaderETag(messageETag: string): string {
  return messageETag.startsWith('"') ? messageETag : `"${messageETag}"`;
}

/** The function id the real host uses for a Node function (webjobs `Indexers/FunctionIndexer.cs`). */
export function toFunctionId(functionName: string): string {
  return `Host.Functions.${functionName}`;
}

/** The message JSON, field for field as st-blobs `Listeners/BlobTriggerMessage.cs` writes it. */
export function toBlobTriggerMessageJson(message: BlobTriggerMessage): string {
  return JSON.stringify({
    Type: 'BlobTrigger',
    FunctionId: message.functionId,
    BlobType: message.blobType,
    ContainerName: message.containerName,
    BlobName: message.blobName,
    ETag: message.eTag,
  });
}

/** Queue text as the storage extension writes it: base64 of the UTF-8 JSON (its default message encoding). */
export function toQueueText(json: string): string {
  return Buffer.from(json, 'utf8').toString('base64');
}

/** Reads queue text written base64-encoded or as plain JSON. */
export function fromQueueText(text: string): string {
  return text.trimStart().startsWith('{') ? text : Buffer.from(text, 'base64').toString('utf8');
}

/** Parses a dispatch-queue message; throws BlobTriggerMessageFormatError naming the queue and message. */
export function fromBlobTriggerMessageJson(
  json: string,
  where: { queueName: string; messageId: string },
): BlobTriggerMessage {
  const fail = (reason: string) => new BlobTriggerMessageFormatError(where.queueName, where.messageId, reason);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw fail('it is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw fail('it is not a JSON object');
  }
  const record = parsed as Record<string, unknown>;
  if (record.Type !== 'BlobTrigger') {
    throw fail(`"Type" is ${JSON.stringify(record.Type)}`);
  }
  const text = (key: string): string => {
    const value = record[key];
    if (typeof value !== 'string' || value === '') {
      throw fail(`"${key}" is ${JSON.stringify(value)}`);
    }
    return value;
  };
  const blobType = text('BlobType');
  if (blobType !== 'BlockBlob' && blobType !== 'PageBlob' && blobType !== 'AppendBlob') {
    throw fail(`"BlobType" is '${blobType}'`);
  }
  return {
    functionId: text('FunctionId'),
    blobType,
    containerName: text('ContainerName'),
    blobName: text('BlobName'),
    eTag: text('ETag'),
  };
}
