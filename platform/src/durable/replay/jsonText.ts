/**
 * Payloads cross the engine as JSON text, as DTFx stores them (reference durable.md §3). These helpers undo the
 * SDK's extra encoding of string inputs and turn values into the text the SDK `JSON.parse`s.
 */

/** JSON text of a value; `undefined` becomes `"null"`, as DTFx serializes a missing result. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Parses JSON text, returning undefined for absent or empty text. */
export function fromJsonText(text: string | undefined): unknown {
  return text === undefined || text === '' ? undefined : JSON.parse(text);
}

/**
 * The value an activity or continue-as-new input stands for: the SDK JSON-encodes string inputs once more
 * (df-js `Utils.processInput`), so a string is decoded; other values are taken as they are.
 */
export function decodeActionInput(input: unknown): unknown {
  if (typeof input !== 'string') {
    return input;
  }
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
}
