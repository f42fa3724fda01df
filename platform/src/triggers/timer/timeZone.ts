import { ConfigurationError } from '../../errors';

/**
 * Windows zone names the real host accepts in `WEBSITE_TIME_ZONE` on Windows, mapped to their IANA zone (the
 * CLDR "001" territory of each). Only common zones are listed; others need their IANA name.
 */
const windowsZones: Readonly<Record<string, string>> = {
  UTC: 'UTC',
  'Coordinated Universal Time': 'UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kiev',
  'GTB Standard Time': 'Europe/Bucharest',
  'Russian Standard Time': 'Europe/Moscow',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'US Mountain Standard Time': 'America/Phoenix',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Alaskan Standard Time': 'America/Anchorage',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Atlantic Standard Time': 'America/Halifax',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'India Standard Time': 'Asia/Kolkata',
  'China Standard Time': 'Asia/Shanghai',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'Singapore Standard Time': 'Asia/Singapore',
  'Arabian Standard Time': 'Asia/Dubai',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'South Africa Standard Time': 'Africa/Johannesburg',
};

/**
 * The IANA time zone for the app setting `WEBSITE_TIME_ZONE`, or undefined (UTC) when unset. Accepts IANA names
 * as on Linux plans and the common Windows names as on Windows plans (docs, timer trigger "time zones").
 */
export function resolveTimeZone(setting: string | undefined): string | undefined {
  if (setting === undefined || setting.trim() === '') {
    return undefined;
  }
  const name = setting.trim();
  const windows = Object.entries(windowsZones).find(([key]) => key.toLowerCase() === name.toLowerCase());
  const candidate = windows?.[1] ?? name;
  if (!isKnownTimeZone(candidate)) {
    throw new ConfigurationError(
      `App setting 'WEBSITE_TIME_ZONE' is '${name}', which is neither an IANA time zone (such as ` +
        `'America/New_York') nor one of the Windows zone names this host knows (such as 'Eastern Standard Time').`,
      { setting: 'WEBSITE_TIME_ZONE' },
    );
  }
  return candidate;
}

function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
