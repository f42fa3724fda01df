import type { Timer } from '@azure/functions';
import { toDateKey } from './partitions';

/**
 * The date a timer run stands for: the date of the occurrence being fired. While a run executes, the schedule
 * monitor's `next` still holds that occurrence — the due one on time, the missed one when `isPastDue` (the catch-up)
 * — and is only moved on after the run (functions-host reference, section 5.3). Without the monitor, today (UTC).
 */
export function batchDateOf(timer: Pick<Timer, 'isPastDue' | 'scheduleStatus'>, now: Date): string {
  const next = timer.scheduleStatus?.next ? new Date(timer.scheduleStatus.next) : undefined;
  return next !== undefined && !Number.isNaN(next.getTime()) ? toDateKey(next) : toDateKey(now);
}
