/** Parses `Key=Value;Key=Value` connection strings; keys are matched case-insensitively. */
export function parseConnectionString(text: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const segment of text.split(';')) {
    const index = segment.indexOf('=');
    if (index > 0) {
      parts.set(segment.slice(0, index).trim().toLowerCase(), segment.slice(index + 1).trim());
    }
  }
  return parts;
}
