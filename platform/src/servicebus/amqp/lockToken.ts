import { randomUUID } from 'node:crypto';

/** A fresh lock token, as the GUID string the SDK shows as `message.lockToken`. */
export function newLockToken(): string {
  return randomUUID();
}

/**
 * The delivery tag carrying a lock token. Service Bus sends the GUID in .NET byte order (first three groups
 * little-endian) and the SDK reorders it back (sb `serviceBusMessage.ts`, `reorderLockToken`), so the tag is the
 * GUID's bytes with groups 0-3, 4-5 and 6-7 reversed.
 */
export function toDeliveryTag(lockToken: string): Buffer {
  return reorderGuidBytes(Buffer.from(lockToken.replace(/-/g, ''), 'hex'));
}

/** The lock token a delivery tag carries (inverse of `toDeliveryTag`). */
export function fromDeliveryTag(tag: Buffer): string {
  return toGuidString(reorderGuidBytes(tag));
}

/** The GUID string of 16 bytes in network order, as `$management` sends lock tokens (no reordering). */
export function toGuidString(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The 16 bytes of a GUID string in network order, for an AMQP `uuid`. */
export function fromGuidString(lockToken: string): Buffer {
  return Buffer.from(lockToken.replace(/-/g, ''), 'hex');
}

function reorderGuidBytes(bytes: Buffer): Buffer {
  const result = Buffer.from(bytes);
  result.writeUInt32LE(bytes.readUInt32BE(0), 0);
  result.writeUInt16LE(bytes.readUInt16BE(4), 4);
  result.writeUInt16LE(bytes.readUInt16BE(6), 6);
  return result;
}
