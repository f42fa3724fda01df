import { existsSync, readFileSync } from 'node:fs';
import { ConfigurationError } from '../errors';

/** Reads a JSON object from a file; malformed JSON or a non-object is a configuration error naming the file. */
export function readJsonObject(file: string, options: { optional: boolean }): Record<string, unknown> | undefined {
  if (!existsSync(file)) {
    if (options.optional) {
      return undefined;
    }
    throw new ConfigurationError(`${file} was not found.`, { file });
  }
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
  if (!isObject(parsed)) {
    throw new ConfigurationError(`${file} must hold a JSON object, but holds ${describe(parsed)}.`, { file });
  }
  return parsed;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a JSON value for error messages: its type and, when small, the value. */
export function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  const text = JSON.stringify(value);
  return `${typeof value} ${text && text.length <= 40 ? text : ''}`.trim();
}
