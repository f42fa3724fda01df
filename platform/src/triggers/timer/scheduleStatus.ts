import type { TimerSchedule } from './schedule';

/**
 * A timer's last and next occurrence, as the schedule monitor stores it. `last` and `lastUpdated` are undefined
 * where .NET has `default(DateTime)` (before the first run).
 */
export interface ScheduleStatus {
  readonly last: Date | undefined;
  readonly next: Date;
  readonly lastUpdated: Date | undefined;
}

/** What the listener does when it starts: the status to keep, whether to persist it, and whether a run is past due. */
export interface StartupPlan {
  readonly status: ScheduleStatus;
  readonly write: boolean;
  readonly pastDue: boolean;
}

/** .NET `default(DateTime)`, which the status blob holds as `Last` before the first run. */
const netDefaultDateTime = '0001-01-01T00:00:00';

/**
 * Decides start-up from the stored status (timers `Scheduling/ScheduleMonitor.cs` `CheckPastDueAsync`): no status →
 * record the next occurrence; a stored `Next` that the schedule would not produce from `Last` (or `LastUpdated`)
 * means the schedule changed → recompute, from now when the expected time has passed, so a change never looks past
 * due; past due when now is after `Next`.
 */
export function planStartup(stored: ScheduleStatus | undefined, schedule: TimerSchedule, now: Date): StartupPlan {
  if (!stored) {
    return { status: { last: undefined, next: schedule.next(now), lastUpdated: now }, write: true, pastDue: false };
  }

  const basis = stored.last ?? stored.lastUpdated ?? now;
  let status = stored;
  let write = false;
  const expected = schedule.next(basis);
  if (expected.getTime() !== stored.next.getTime()) {
    const passed = now.getTime() > expected.getTime();
    status = { last: undefined, next: passed ? schedule.next(now) : expected, lastUpdated: passed ? now : basis };
    write = true;
  }

  return { status, write, pastDue: now.getTime() > status.next.getTime() };
}

/** The in-memory status of a timer without the monitor: only `Next` matters, for the first wait. */
export function initialStatus(schedule: TimerSchedule, now: Date): ScheduleStatus {
  return { last: undefined, next: schedule.next(now), lastUpdated: undefined };
}

/**
 * The status after a run. For a scheduled run `Last` is the later of the invocation time and the previous `Next`,
 * which guards against a timer that woke a little early; past-due and start-up runs use the invocation time
 * (timers `Listener/TimerListener.cs`).
 */
export function statusAfterRun(
  previous: ScheduleStatus,
  schedule: TimerSchedule,
  invokedAt: Date,
  scheduled: boolean,
): ScheduleStatus {
  const early = scheduled && previous.next.getTime() > invokedAt.getTime();
  const last = early ? previous.next : invokedAt;
  return { last, next: schedule.next(last), lastUpdated: last };
}

/** The status blob's JSON, `{"Last":…,"Next":…,"LastUpdated":…}`, with ISO dates as the real host writes them. */
export function toStatusJson(status: ScheduleStatus): string {
  return JSON.stringify(toPascalStatus(status));
}

/** Reads the status blob's JSON; undefined when it is not a status record. */
export function fromStatusJson(text: string): ScheduleStatus | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return undefined;
  }
  const record = parsed as Record<string, unknown>;
  const last = parseNetDate(record.Last);
  const next = parseNetDate(record.Next);
  const lastUpdated = parseNetDate(record.LastUpdated);
  if (last === null || lastUpdated === null || !next) {
    return undefined;
  }
  return { last, next, lastUpdated };
}

/**
 * The TimerInfo the Node library turns into the handler's `Timer` object (library `src/InvocationModel.ts`
 * camel-cases it); `ScheduleStatus` is null when the monitor is off.
 */
export function toTimerInfoJson(status: ScheduleStatus | undefined, isPastDue: boolean, adjustForDst: boolean): string {
  return JSON.stringify({
    Schedule: { AdjustForDST: adjustForDst },
    ScheduleStatus: status ? toPascalStatus(status) : null,
    IsPastDue: isPastDue,
  });
}

function toPascalStatus(status: ScheduleStatus): Record<string, string> {
  return {
    Last: status.last ? toNetDate(status.last) : netDefaultDateTime,
    Next: toNetDate(status.next),
    LastUpdated: status.lastUpdated ? toNetDate(status.lastUpdated) : netDefaultDateTime,
  };
}

/** Newtonsoft writes local DateTimes with an offset; the local host writes UTC as `+00:00`. */
function toNetDate(date: Date): string {
  return date.toISOString().replace(/Z$/, '+00:00');
}

/** Undefined for .NET's default DateTime, null when the value is not a date. */
function parseNetDate(value: unknown): Date | undefined | null {
  if (typeof value !== 'string') {
    return null;
  }
  if (value.startsWith('0001-01-01')) {
    return undefined;
  }
  // A value without an offset is .NET "unspecified" kind; read it as UTC rather than the machine's zone.
  const text = /([zZ]|[+-]\d\d:\d\d)$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}
