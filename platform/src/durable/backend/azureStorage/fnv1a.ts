const offsetBasis = 2166136261;
const prime = 16777619;

/** FNV-1a 32-bit hash of a string's UTF-8 bytes, as DTFx's `Fnv1aHashHelper` computes it. */
export function fnv1a32(value: string): number {
  let hash = offsetBasis;
  for (const byte of Buffer.from(value, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, prime) >>> 0;
  }
  return hash >>> 0;
}
