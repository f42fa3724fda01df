/**
 * Queue message text encoding. The queue trigger expects base64 by default (host.json `messageEncoding`), so the app
 * writes base64 and reads either form (functions-host reference, section 3.4).
 */

/** Encodes message text the way the queue trigger decodes it. */
export function toQueueMessageText(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Decodes message text written as base64; text that is not base64 is returned as it is. */
export function fromQueueMessageText(stored: string): string {
  if (stored.length === 0 || stored.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(stored)) {
    return stored;
  }
  const decoded = Buffer.from(stored, 'base64');
  // Only accept the decoding when it round-trips and is valid UTF-8; otherwise the text was plain.
  const text = decoded.toString('utf8');
  return decoded.toString('base64') === stored && !text.includes('\uFFFD') ? text : stored;
}
