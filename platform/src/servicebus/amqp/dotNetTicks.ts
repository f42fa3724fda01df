/** .NET ticks (100 ns) between 0001-01-01 and the Unix epoch. */
const epochTicks = 621_355_968_000_000_000n;

/**
 * A time as .NET ticks in an 8-byte big-endian buffer, the form of the session attach property
 * `com.microsoft:locked-until-utc` (the SDK reads it with `convertTicksToDate`, sb `util/utils.ts`).
 */
export function toDotNetTicks(epochMs: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(BigInt(Math.round(epochMs)) * 10_000n + epochTicks);
  return buffer;
}

/** Epoch milliseconds of an 8-byte big-endian .NET ticks value (inverse of `toDotNetTicks`). */
export function fromDotNetTicks(buffer: Buffer): number {
  return Number((buffer.readBigInt64BE(0) - epochTicks) / 10_000n);
}
