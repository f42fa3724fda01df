import { Cron } from 'croner';
import { formatTimeSpan, parseTimeSpan } from '../../config/timeSpan';
import { ConfigurationError } from '../../errors';

/** When a timer function runs: the next occurrence strictly after a moment. */
export interface TimerSchedule {
  readonly kind: 'cron' | 'timeSpan';
  /** The expression after `%Setting%` resolution, for logs and errors. */
  readonly expression: string;
  /** Whether intervals follow local wall-clock time across DST changes (TimerInfo `Schedule.AdjustForDST`). */
  readonly adjustForDst: boolean;
  next(after: Date): Date;
}

/** Where a schedule comes from, for error messages. */
export interface ScheduleSource {
  readonly functionName: string;
  /** IANA time zone the cron fields are read in; UTC when absent. */
  readonly timeZone?: string;
}

/**
 * Parses a timer schedule as the Functions timer does: NCRONTAB with six fields (seconds first) or five
 * (minutes first), else a .NET TimeSpan for a constant interval (timers `Scheduling/TimerSchedule.cs`).
 */
export function parseSchedule(expression: string, source: ScheduleSource): TimerSchedule {
  const text = expression.trim();
  const fields = text.split(/\s+/);
  if (fields.length === 6 || fields.length === 5) {
    return cronSchedule(text, fields, source);
  }
  const intervalMs = parseTimeSpan(text);
  if (intervalMs !== undefined && intervalMs > 0) {
    return timeSpanSchedule(text, intervalMs);
  }
  throw invalidSchedule(expression, source, 'it has neither 5 or 6 cron fields nor the form hh:mm:ss or d.hh:mm:ss');
}

/** True when the schedule fires more often than once a minute, which switches the schedule monitor off. */
export function firesMoreThanOncePerMinute(schedule: TimerSchedule, from: Date): boolean {
  if (schedule.kind === 'timeSpan') {
    return schedule.next(from).getTime() - from.getTime() < 60_000;
  }
  // Only `X * * * * *` can fire more than once every minute: any restriction past the first field can make the
  // gap longer (timers `Scheduling/TimerSchedule.cs` ShouldDisableScheduleMonitor).
  if (
    !schedule.expression
      .split(/\s+/)
      .slice(1)
      .every((field) => field === '*')
  ) {
    return false;
  }
  const first = schedule.next(from);
  const second = schedule.next(first);
  return second.getTime() < from.getTime() + 60_000;
}

function cronSchedule(text: string, fields: string[], source: ScheduleSource): TimerSchedule {
  // NCrontab reads day-of-week 0–6 only; croner would quietly accept 7 as Sunday.
  checkDayOfWeek(fields[fields.length - 1] ?? '', text, source);
  let cron: Cron;
  try {
    cron = new Cron(text, {
      mode: fields.length === 6 ? '6-part' : '5-part',
      // NCrontab requires both day-of-month and day-of-week to match (atifaziz/NCrontab CrontabSchedule.cs).
      domAndDow: true,
      timezone: source.timeZone ?? 'UTC',
      paused: true,
    });
  } catch (error) {
    throw invalidSchedule(text, source, (error as Error).message);
  }
  return {
    kind: 'cron',
    expression: text,
    adjustForDst: true,
    next: (after) => {
      const next = cron.nextRun(after);
      if (!next) {
        throw invalidSchedule(text, source, `it has no occurrence after ${after.toISOString()}`);
      }
      return next;
    },
  };
}

function timeSpanSchedule(text: string, intervalMs: number): TimerSchedule {
  return {
    kind: 'timeSpan',
    expression: formatTimeSpan(intervalMs),
    // A constant interval is elapsed time, not wall-clock time (timers `Scheduling/ConstantSchedule.cs`).
    adjustForDst: false,
    next: (after) => new Date(after.getTime() + intervalMs),
  };
}

const dayNames = /^(sun|mon|tue|wed|thu|fri|sat)$/i;

function checkDayOfWeek(field: string, text: string, source: ScheduleSource): void {
  for (const part of field.split(',')) {
    const [range = '', step] = part.split('/');
    const ends = range === '*' || range === '?' ? [] : range.split('-');
    for (const end of ends) {
      const valid = dayNames.test(end) || (/^\d+$/.test(end) && Number(end) <= 6);
      if (!valid) {
        throw invalidSchedule(text, source, `day-of-week '${end}' is not 0–6 or a day name (SUN–SAT)`);
      }
    }
    if (step !== undefined && !/^\d+$/.test(step)) {
      throw invalidSchedule(text, source, `day-of-week step '${step}' is not a number`);
    }
  }
}

function invalidSchedule(expression: string, source: ScheduleSource, reason: string): ConfigurationError {
  return new ConfigurationError(
    `Function '${source.functionName}': the schedule expression '${expression}' was not recognized as a ` +
      `valid cron expression or timespan string (${reason}). Expected six NCRONTAB fields ` +
      `'{second} {minute} {hour} {day} {month} {day-of-week}', five fields starting at minutes, or a TimeSpan.`,
    { functionName: source.functionName, setting: 'schedule' },
  );
}
