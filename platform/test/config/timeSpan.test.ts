import { formatTimeSpan, parseTimeSpan } from '../../src/config/timeSpan';

describe('parseTimeSpan', () => {
  it.each([
    ['00:00:05', 5_000],
    ['00:01:00', 60_000],
    ['01:00:00', 3_600_000],
    ['1.00:00:00', 86_400_000],
    ['25:00:00', 25 * 86_400_000],
    ['00:00:00.250', 250],
    ['-00:00:01', -1_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseTimeSpan(text)).toBe(ms);
  });

  it.each(['', 'five seconds', '00:61:00', '0 */5 * * * *', '10'])('rejects %j', (text) => {
    expect(parseTimeSpan(text)).toBeUndefined();
  });

  it('formats durations back with a day part only when needed', () => {
    expect(formatTimeSpan(90_000)).toBe('00:01:30');
    expect(formatTimeSpan(86_400_000 + 1_000)).toBe('1.00:00:01');
  });
});
