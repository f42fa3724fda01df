import type { RpcTypedData } from '../../worker/rpc';
import { toUtf8Text } from './messageEncoding';

/** The fields of a received storage queue message the trigger reads (the SDK's `ReceivedMessageItem`). */
export interface ReceivedQueueMessage {
  readonly messageId: string;
  readonly popReceipt: string;
  readonly dequeueCount: number;
  readonly messageText: string;
  readonly insertedOn?: Date;
  readonly expiresOn?: Date;
  readonly nextVisibleOn?: Date;
}

/** What the executor needs for one queue message: the trigger value, trigger metadata and binding data. */
export interface QueueTriggerData {
  readonly trigger: RpcTypedData;
  readonly triggerMetadata: Record<string, RpcTypedData>;
  readonly bindingData: Record<string, unknown>;
}

// .NET DateTimeOffset.MaxValue, used by the extension when the service leaves a time out.
const maxDateText = '9999-12-31T23:59:59.9999999+00:00';

/**
 * Translates a received message and its decoded body into what the worker gets, as the storage extension's
 * `QueueTriggerBinding` does: the body as a string (JSON text becomes an object in the handler), and
 * `QueueTrigger`, `DequeueCount`, `Id`, `InsertionTime`, `ExpirationTime`, `NextVisibleTime`, `PopReceipt`.
 * The properties of a JSON object body are binding data too, for `{token}` expressions in output bindings.
 */
export function toQueueTriggerData(message: ReceivedQueueMessage, body: Buffer, now: Date): QueueTriggerData {
  const text = toUtf8Text(body);
  const insertionTime = toDotNetDateText(message.insertedOn ?? now);
  const expirationTime = message.expiresOn ? toDotNetDateText(message.expiresOn) : maxDateText;
  const nextVisibleTime = message.nextVisibleOn ? toDotNetDateText(message.nextVisibleOn) : maxDateText;

  const triggerMetadata: Record<string, RpcTypedData> = {
    DequeueCount: { json: String(message.dequeueCount) },
    ExpirationTime: { json: JSON.stringify(expirationTime) },
    Id: { string: message.messageId },
    InsertionTime: { json: JSON.stringify(insertionTime) },
    NextVisibleTime: { json: JSON.stringify(nextVisibleTime) },
    PopReceipt: { string: message.popReceipt },
  };
  if (text !== undefined) {
    triggerMetadata.QueueTrigger = { string: text };
  }

  const bindingData: Record<string, unknown> = {
    ...jsonProperties(text),
    QueueTrigger: text,
    DequeueCount: message.dequeueCount,
    ExpirationTime: expirationTime,
    Id: message.messageId,
    InsertionTime: insertionTime,
    NextVisibleTime: nextVisibleTime,
    PopReceipt: message.popReceipt,
  };

  return { trigger: text === undefined ? { bytes: body } : { string: text }, triggerMetadata, bindingData };
}

/**
 * A time as Json.NET writes a DateTimeOffset: `2024-05-01T10:00:00.123+00:00`, fraction trimmed.
 * NOTE: whether the real host writes `+00:00` or `Z` here is unconfirmed; both parse the same in JavaScript.
 */
export function toDotNetDateText(date: Date): string {
  return date
    .toISOString()
    .replace(/\.?0+Z$/, 'Z')
    .replace(/Z$/, '+00:00');
}

function jsonProperties(text: string | undefined): Record<string, unknown> {
  if (text === undefined || !text.trimStart().startsWith('{')) {
    return {};
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
