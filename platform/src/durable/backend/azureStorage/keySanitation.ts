const escapeChar = '^';
const shiftBase = 'À'.charCodeAt(0);

/**
 * Escapes characters Azure Table keys cannot hold (`/ \ # ?` and control characters) the way DTFx's
 * `KeySanitation` does, so history partition keys match the provider's.
 */
export function toPartitionKey(instanceId: string): string {
  let out = '';
  for (const c of instanceId) {
    const code = c.charCodeAt(0);
    if (c === escapeChar) {
      out += '^^';
    } else if (c === '/') {
      out += '^0';
    } else if (c === '\\') {
      out += '^1';
    } else if (c === '#') {
      out += '^2';
    } else if (c === '?') {
      out += '^3';
    } else if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) {
      out += escapeChar + String.fromCharCode(shiftBase + code);
    } else {
      out += c;
    }
  }
  return out;
}

/** Reverses `toPartitionKey`. */
export function fromPartitionKey(key: string): string {
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c !== escapeChar || i + 1 >= key.length) {
      out += c;
      continue;
    }
    const next = key[++i] as string;
    const simple: Record<string, string> = { '^': '^', '0': '/', '1': '\\', '2': '#', '3': '?' };
    out += simple[next] ?? String.fromCharCode(next.charCodeAt(0) - shiftBase);
  }
  return out;
}
