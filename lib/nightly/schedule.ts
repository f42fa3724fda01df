import type { Timer } from '@azure/functions';
import { toDateKey } from './partitions';

/**
 * The date a timer run stands for: the missed occurrence when the run is past due (the host was down at the
 * scheduled time, so this is the catch-up), else today (UTC).
 */
export function batchDateOf(timer: Pick<Timer, 'isPastDue' | 'scheduleStatus'>, now: Date): string {
  if (timer.isPastDue && timer.scheduleStatus?.next) {
    const missed = new Date(timer.scheduleStatus.next);
    if (!Number.isNaN(missed.getTime()) && missed <= now) {
      return toDateKey(missed);
    }
  }
  return toDateKey(now);
}
