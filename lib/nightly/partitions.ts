import { createHash } from 'node:crypto';

/** The partition (0..count-1) a key belongs to: stable across runs and processes. */
export function partitionOf(key: string, count: number): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % count;
}

/** The UTC calendar date (YYYY-MM-DD) of a moment. */
export function toDateKey(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

/** True when text is a real calendar date in YYYY-MM-DD form. */
export function isDateKey(text: string): boolean {
  const moment = new Date(`${text}T00:00:00.000Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(moment.getTime()) && toDateKey(moment) === text;
}

/** Midnight UTC `days` days before the given date. */
export function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - days * 86_400_000).toISOString();
}
