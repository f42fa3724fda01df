/**
 * Removes secrets from text before it is logged: storage account keys, Service Bus keys, SAS signatures,
 * function keys in URLs, and passwords in URLs.
 */
const secretPatterns: readonly RegExp[] = [
  /(AccountKey=)[^;'"\s]+/gi,
  /(SharedAccessKey=)[^;'"\s]+/gi,
  /(SharedAccessSignature=)[^;'"\s]+/gi,
  /([?&]sig=)[^&'"\s]+/gi,
  /([?&]code=)[^&'"\s]+/gi,
  /(x-functions-key[:=]\s*)[^\s,'"]+/gi,
  /(\w+:\/\/[^:/\s]+:)[^@/\s]+(@)/g,
];

export const redactedMarker = '[Hidden Credential]';

/** Returns the text with every recognised secret replaced by a marker. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const pattern of secretPatterns) {
    result = result.replace(pattern, (_match, before: string, after?: string) =>
      typeof after === 'string' && after === '@' ? `${before}${redactedMarker}@` : `${before}${redactedMarker}`,
    );
  }
  return result;
}
