/** How queue message text carries the body: base64 of the bytes (the Functions default) or the text itself. */
export type QueueMessageEncoding = 'base64' | 'none';

// .NET's Convert.FromBase64String rule: whitespace ignored, length a multiple of 4, padding only at the end.
const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The body of a received message from its text. Undefined when `base64` text does not decode; the trigger then
 * moves the message straight to the poison queue, as the storage extension's decoding-failure handler does.
 */
export function fromQueueMessageText(text: string, encoding: QueueMessageEncoding): Buffer | undefined {
  if (encoding === 'none') {
    return Buffer.from(text, 'utf8');
  }
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !base64Pattern.test(compact)) {
    return undefined;
  }
  return Buffer.from(compact, 'base64');
}

/** The message text to send for a body; strings are sent as UTF-8. */
export function toQueueMessageText(body: Buffer | string, encoding: QueueMessageEncoding): string {
  if (encoding === 'none') {
    return typeof body === 'string' ? body : body.toString('utf8');
  }
  return (typeof body === 'string' ? Buffer.from(body, 'utf8') : body).toString('base64');
}

/** The body as text when it is valid UTF-8, else undefined (the host then omits `QueueTrigger`). */
export function toUtf8Text(body: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return undefined;
  }
}
