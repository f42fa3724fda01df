/**
 * .NET TimeSpan text as host.json and the timer trigger use it: `hh:mm:ss`, `hh:mm:ss.fff`, `d.hh:mm:ss`, and
 * `dd:hh:mm` when the first of three parts is 24 or more (so `25:00:00` is 25 days, as in .NET).
 */
const timeSpanPattern = /^(-)?(?:(\d+)\.)?(\d+):(\d+)(?::(\d+)(?:\.(\d{1,7}))?)?$/;

/** Parses a TimeSpan into milliseconds; undefined when the text is not a TimeSpan. */
export function parseTimeSpan(text: string): number | undefined {
  const match = timeSpanPattern.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const [, minus, daysText, first, second, third, fraction] = match;
  let days = Number(daysText ?? 0);
  let hours = Number(first);
  let minutes = Number(second);
  let seconds = Number(third ?? 0);
  if (third !== undefined && daysText === undefined && hours >= 24) {
    // .NET reads "dd:hh:mm" when the leading number cannot be hours.
    [days, hours, minutes, seconds] = [hours, minutes, seconds, 0];
  }
  if (hours > 23 || minutes > 59 || seconds > 59) {
    return undefined;
  }
  const ms = Number(`0.${fraction ?? '0'}`) * 1000;
  const total = (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000 + ms;
  return minus ? -total : total;
}

/** Formats milliseconds as `d.hh:mm:ss`, dropping the day part when zero. */
export function formatTimeSpan(ms: number): string {
  const totalSeconds = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(totalSeconds / 86400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(Math.floor((totalSeconds % 86400) / 3600))}:${pad(Math.floor((totalSeconds % 3600) / 60))}:${pad(totalSeconds % 60)}`;
  return `${ms < 0 ? '-' : ''}${days > 0 ? `${days}.` : ''}${clock}`;
}
