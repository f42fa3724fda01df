import { parseSchedule } from '../../../src/triggers/timer/schedule';
import {
  fromStatusJson,
  planStartup,
  statusAfterRun,
  toStatusJson,
  toTimerInfoJson,
} from '../../../src/triggers/timer/scheduleStatus';

const everyFiveMinutes = parseSchedule('0 */5 * * * *', { functionName: 'report' });
const at = (iso: string) => new Date(iso);

describe('planStartup', () => {
  it('records the next occurrence when there is no status', () => {
    const plan = planStartup(undefined, everyFiveMinutes, at('2026-01-01T10:02:00Z'));

    expect(plan).toEqual({
      status: { last: undefined, next: at('2026-01-01T10:05:00Z'), lastUpdated: at('2026-01-01T10:02:00Z') },
      write: true,
      pastDue: false,
    });
  });

  it('is past due when the stored next occurrence passed while the host was down', () => {
    const stored = {
      last: at('2026-01-01T09:00:00Z'),
      next: at('2026-01-01T09:05:00Z'),
      lastUpdated: at('2026-01-01T09:00:00Z'),
    };

    const plan = planStartup(stored, everyFiveMinutes, at('2026-01-01T10:02:00Z'));

    expect(plan.pastDue).toBe(true);
    expect(plan.write).toBe(false);
  });

  it('recomputes from now when the schedule changed, so a change never looks past due', () => {
    const stored = {
      last: at('2026-01-01T09:00:00Z'),
      next: at('2026-01-01T10:00:00Z'),
      lastUpdated: at('2026-01-01T09:00:00Z'),
    };

    const plan = planStartup(stored, everyFiveMinutes, at('2026-01-01T10:02:00Z'));

    expect(plan).toEqual({
      status: { last: undefined, next: at('2026-01-01T10:05:00Z'), lastUpdated: at('2026-01-01T10:02:00Z') },
      write: true,
      pastDue: false,
    });
  });
});

describe('planStartup without a Last', () => {
  it('checks the stored Next against the schedule from LastUpdated', () => {
    const stored = { last: undefined, next: at('2026-01-01T09:05:00Z'), lastUpdated: at('2026-01-01T09:02:00Z') };

    const plan = planStartup(stored, everyFiveMinutes, at('2026-01-01T10:02:00Z'));

    expect(plan).toEqual({ status: stored, write: false, pastDue: true });
  });
});

describe('statusAfterRun', () => {
  it('keeps the scheduled time as Last when the timer woke early', () => {
    const previous = { last: undefined, next: at('2026-01-01T10:05:00Z'), lastUpdated: at('2026-01-01T10:02:00Z') };

    const status = statusAfterRun(previous, everyFiveMinutes, at('2026-01-01T10:04:59.990Z'), true);

    expect(status).toEqual({
      last: at('2026-01-01T10:05:00Z'),
      next: at('2026-01-01T10:10:00Z'),
      lastUpdated: at('2026-01-01T10:05:00Z'),
    });
  });
});

describe('status blob JSON', () => {
  it('round-trips through the real host field names, with .NET default for a missing Last', () => {
    const status = { last: undefined, next: at('2026-01-01T10:05:00Z'), lastUpdated: at('2026-01-01T10:02:00Z') };

    const json = toStatusJson(status);

    expect(JSON.parse(json)).toEqual({
      Last: '0001-01-01T00:00:00',
      Next: '2026-01-01T10:05:00.000+00:00',
      LastUpdated: '2026-01-01T10:02:00.000+00:00',
    });
    expect(fromStatusJson(json)).toEqual(status);
  });

  it('reads seven fractional digits and offsets as Newtonsoft writes them', () => {
    const status = fromStatusJson(
      '{"Last":"2026-01-01T11:00:00.1234567+01:00","Next":"2026-01-01T10:05:00","LastUpdated":"2026-01-01T10:00:00Z"}',
    );

    expect(status?.last).toEqual(at('2026-01-01T10:00:00.123Z'));
    expect(status?.next).toEqual(at('2026-01-01T10:05:00Z'));
  });

  it('reads a default LastUpdated as absent', () => {
    const status = fromStatusJson(
      '{"Last":"0001-01-01T00:00:00","Next":"2026-01-01T10:05:00Z","LastUpdated":"0001-01-01T00:00:00"}',
    );

    expect(status).toEqual({ last: undefined, next: at('2026-01-01T10:05:00Z'), lastUpdated: undefined });
  });

  it('is undefined for text that is not a status record', () => {
    expect(fromStatusJson('not json')).toBeUndefined();
    expect(fromStatusJson('{"Next":42}')).toBeUndefined();
  });
});

describe('toTimerInfoJson', () => {
  it('writes the PascalCase TimerInfo the library camel-cases, with a null status when the monitor is off', () => {
    expect(JSON.parse(toTimerInfoJson(undefined, false, true))).toEqual({
      Schedule: { AdjustForDST: true },
      ScheduleStatus: null,
      IsPastDue: false,
    });
  });
});

describe('statusAfterRun for start-up runs', () => {
  it('takes the invocation time for a runOnStartup run, so the coming occurrence stays next', () => {
    const previous = { last: undefined, next: at('2026-01-01T10:05:00Z'), lastUpdated: at('2026-01-01T10:02:00Z') };

    const status = statusAfterRun(previous, everyFiveMinutes, at('2026-01-01T10:02:00Z'), false);

    expect(status).toEqual({
      last: at('2026-01-01T10:02:00Z'),
      next: at('2026-01-01T10:05:00Z'),
      lastUpdated: at('2026-01-01T10:02:00Z'),
    });
  });
});
