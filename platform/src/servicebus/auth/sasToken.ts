import { createHmac, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../errors';

/** The parts of a `SharedAccessSignature sr=…&sig=…&se=…&skn=…` token. */
export interface SasToken {
  /** The resource URI the token grants, decoded (e.g. `sb://localhost:5672/orders`). */
  resource: string;
  /** `sr` exactly as it appears in the token: the signature covers this text. */
  encodedResource: string;
  signature: string;
  /** Expiry in Unix seconds. */
  expiry: number;
  keyName: string;
}

/** Reads a SAS token; throws UnauthorizedError naming the missing or malformed part. */
export function parseSasToken(text: string, audience: string): SasToken {
  const prefix = 'SharedAccessSignature ';
  if (!text.startsWith(prefix)) {
    throw new UnauthorizedError(`expected a token starting with '${prefix.trim()}'`, audience);
  }
  const fields = new Map<string, string>();
  for (const pair of text.slice(prefix.length).split('&')) {
    const at = pair.indexOf('=');
    if (at > 0) {
      fields.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  const encodedResource = fields.get('sr');
  const signature = fields.get('sig');
  const expiry = Number(fields.get('se'));
  const keyName = fields.get('skn');
  if (encodedResource === undefined || signature === undefined || keyName === undefined || !Number.isFinite(expiry)) {
    throw new UnauthorizedError('the token needs sr, sig, se and skn', audience);
  }
  return {
    resource: decodeURIComponent(encodedResource),
    encodedResource,
    signature: decodeURIComponent(signature),
    expiry,
    keyName: decodeURIComponent(keyName),
  };
}

/**
 * Checks a token as the service does: known key name, HMAC-SHA256 of `sr + "\n" + se` under that key, not
 * expired (the signing scheme is core-amqp's `createToken`, `auth/tokenProvider.ts`).
 */
export function verifySasToken(token: SasToken, keys: Readonly<Record<string, string>>, audience: string): void {
  const key = keys[token.keyName];
  if (key === undefined) {
    throw new UnauthorizedError(`unknown shared access key name '${token.keyName}'`, audience);
  }
  const expected = signSas(key, token.encodedResource, token.expiry);
  const actual = Buffer.from(token.signature);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new UnauthorizedError(`the token's signature does not match key '${token.keyName}'`, audience);
  }
  if (token.expiry * 1000 < Date.now()) {
    throw new UnauthorizedError(`the token expired at ${new Date(token.expiry * 1000).toISOString()}`, audience);
  }
}

/** A SAS token for an audience, signed as the SDK signs one (for clients and tests that need a raw token). */
export function createSasToken(audience: string, keyName: string, key: string, expiry: number): string {
  const encodedResource = encodeURIComponent(audience);
  const signature = encodeURIComponent(signSas(key, encodedResource, expiry).toString());
  return `SharedAccessSignature sr=${encodedResource}&sig=${signature}&se=${expiry}&skn=${encodeURIComponent(keyName)}`;
}

function signSas(key: string, encodedResource: string, expiry: number): Buffer {
  return Buffer.from(createHmac('sha256', key).update(`${encodedResource}\n${expiry}`).digest('base64'));
}
