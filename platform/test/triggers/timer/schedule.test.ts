import { ConfigurationError } from '../../../src/errors';
import { firesMoreThanOncePerMinute, parseSchedule } from '../../../src/triggers/timer/schedule';
import { resolveTimeZone } from '../../../src/triggers/timer/timeZone';

const source = { functionName: 'cleanup' };

function nextRuns(expression: string, from: string, count: number, timeZone?: string): string[] {
  const schedule = parseSchedule(expression, { ...source, timeZone });
  const runs: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < count; i++) {
    at = schedule.next(at);
    runs.push(at.toISOString());
  }
  return runs;
}

describe('parseSchedule', () => {
  it('reads six NCRONTAB fields with seconds first', () => {
    expect(nextRuns('0 */5 * * * *', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-01T00:05:00.000Z',
      '2026-01-01T00:10:00.000Z',
    ]);
    expect(nextRuns('*/15 * * * * *', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-01T00:00:15.000Z',
      '2026-01-01T00:00:30.000Z',
    ]);
  });

  it('reads five fields with minutes first', () => {
    expect(nextRuns('*/5 * * * *', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-01T00:05:00.000Z',
      '2026-01-01T00:10:00.000Z',
    ]);
  });

  it('requires day-of-month and day-of-week to match together, as NCrontab does', () => {
    expect(nextRuns('0 0 12 1 * 1', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-06-01T12:00:00.000Z',
      '2027-02-01T12:00:00.000Z',
      '2027-03-01T12:00:00.000Z',
    ]);
  });

  it('accepts day names and refuses day-of-week 7', () => {
    expect(nextRuns('0 30 9 * * MON-FRI', '2026-01-03T00:00:00Z', 1)).toEqual(['2026-01-05T09:30:00.000Z']);
    expect(() => parseSchedule('0 0 0 * * 7', source)).toThrow(/day-of-week '7' is not 0–6/);
  });

  it('fires strictly after the given moment', () => {
    expect(nextRuns('*/5 * * * * *', '2026-01-01T00:00:05.000Z', 1)).toEqual(['2026-01-01T00:00:10.000Z']);
  });

  it('reads TimeSpan schedules as constant intervals, including d.hh:mm:ss and dd:hh:mm', () => {
    expect(nextRuns('00:00:30', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-01T00:00:30.000Z',
      '2026-01-01T00:01:00.000Z',
    ]);
    expect(nextRuns('1.00:00:00', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-02T00:00:00.000Z']);
    expect(nextRuns('25:00:00', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-26T00:00:00.000Z']);
    expect(parseSchedule('01:00:00', source).kind).toBe('timeSpan');
  });

  it('follows the time zone across a DST change', () => {
    expect(nextRuns('0 30 9 * * *', '2026-03-06T20:00:00Z', 2, 'America/New_York')).toEqual([
      '2026-03-07T14:30:00.000Z',
      '2026-03-08T13:30:00.000Z',
    ]);
  });

  it('rejects an expression that is neither cron nor TimeSpan with the function name', () => {
    let error: unknown;
    try {
      parseSchedule('every five minutes', source);
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toMatch(
      /'cleanup'.*was not recognized as a valid cron expression or timespan string/,
    );
    expect((error as ConfigurationError).where.functionName).toBe('cleanup');
    expect(() => parseSchedule('0 99 * * * *', source)).toThrow(ConfigurationError);
  });
});

describe('firesMoreThanOncePerMinute', () => {
  it('is true for per-second schedules and short intervals, false for minutely and longer ones', () => {
    const from = new Date('2026-01-01T00:00:00Z');

    expect(firesMoreThanOncePerMinute(parseSchedule('*/10 * * * * *', source), from)).toBe(true);
    // Restricted minutes can leave long gaps, so the real timer keeps the monitor on.
    expect(firesMoreThanOncePerMinute(parseSchedule('* 1-5 * * * *', source), from)).toBe(false);
    expect(firesMoreThanOncePerMinute(parseSchedule('* * * * * *', source), from)).toBe(true);
    expect(firesMoreThanOncePerMinute(parseSchedule('00:00:10', source), from)).toBe(true);
    expect(firesMoreThanOncePerMinute(parseSchedule('0 * * * * *', source), from)).toBe(false);
    expect(firesMoreThanOncePerMinute(parseSchedule('00:05:00', source), from)).toBe(false);
  });
});

describe('resolveTimeZone', () => {
  it('accepts IANA names and common Windows names, and is UTC when unset', () => {
    expect(resolveTimeZone(undefined)).toBeUndefined();
    expect(resolveTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('Eastern Standard Time')).toBe('America/New_York');
  });

  it('names the setting when the zone is unknown', () => {
    expect(() => resolveTimeZone('Mars Standard Time')).toThrow(/WEBSITE_TIME_ZONE.*'Mars Standard Time'/);
  });
});
