const isoDurationPattern =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/**
 * Parses an ISO 8601 duration (`PT1M`, `PT20S`, `P1D`, `PT0.5S`) as Config.json uses it, into milliseconds;
 * undefined when the text is not one. Years and months count as 365 and 30 days, as .NET's XmlConvert does.
 */
export function parseIsoDuration(text: string): number | undefined {
  const match = isoDurationPattern.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const [, years, months, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return (
    (years ?? 0) * 365 * day +
    (months ?? 0) * 30 * day +
    (weeks ?? 0) * 7 * day +
    (days ?? 0) * day +
    (hours ?? 0) * hour +
    (minutes ?? 0) * minute +
    Math.round((seconds ?? 0) * second)
  );
}
