import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigurationError } from '../../../errors';
import type { AuthLevel } from '../routing/routeTable';

/** Where the keys live, relative to the app folder; `.local/` is git-ignored. */
export const functionKeysRelativePath = path.join('.local', 'function-keys.json');

const keyText = z.string().min(16, 'a key must have at least 16 characters');

const keysFileSchema = z.object({
  /** Opens every function and admin-level function. */
  masterKey: keyText,
  /** Host keys: each opens every function-level function. */
  hostKeys: z.record(z.string(), keyText).default({}),
  /** Keys that open one function, by function name then key name. */
  functionKeys: z.record(z.string(), z.record(z.string(), keyText)).default({}),
});

/** The keys the HTTP trigger checks for `authLevel` function and admin. */
export type FunctionKeys = z.infer<typeof keysFileSchema>;

/**
 * Reads the app's function keys, creating the file with a new master key and a `default` host key on first start.
 * A file that is not valid is a configuration error naming the file and the bad field.
 */
export function loadOrCreateFunctionKeys(appDir: string): { keys: FunctionKeys; file: string; created: boolean } {
  const file = path.join(appDir, functionKeysRelativePath);
  if (!existsSync(file)) {
    const keys: FunctionKeys = { masterKey: newKey(), hostKeys: { default: newKey() }, functionKeys: {} };
    if (createExclusively(file, `${JSON.stringify(keys, null, 2)}\n`)) {
      return { keys, file, created: true };
    }
  }

  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(`${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
  const parsed = keysFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigurationError(
      `${file} must hold {"masterKey": "…", "hostKeys": {…}, "functionKeys": {…}}:\n${z.prettifyError(parsed.error)}`,
      { file },
    );
  }
  return { keys: parsed.data, file, created: false };
}

/**
 * Writes a whole file under a private name and links it into place, so that when two hosts start on one app at
 * once the first file wins and neither ever reads a file the other is still writing. False when it already existed.
 */
function createExclusively(file: string, content: string): boolean {
  mkdirSync(path.dirname(file), { recursive: true });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(draft, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
    return false;
  } finally {
    rmSync(draft, { force: true });
  }
}

/** A random key: 32 bytes as base64url (43 characters), like the keys the host generates. */
export function newKey(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Decides whether a presented key opens a function, as Azure does: anonymous needs none; function level takes the
 * master key, a host key or one of the function's keys; admin level only the master key. Constant-time compares.
 * Core Tools skips key checks locally; checking them here shows a missing key before deployment.
 */
export function isAuthorized(
  keys: FunctionKeys,
  level: AuthLevel,
  functionName: string,
  presented: string | undefined,
): boolean {
  if (level === 'anonymous') {
    return true;
  }
  if (presented === undefined || presented === '') {
    return false;
  }
  if (sameKey(presented, keys.masterKey)) {
    return true;
  }
  if (level === 'admin') {
    return false;
  }
  const candidates = [...Object.values(keys.hostKeys), ...Object.values(keys.functionKeys[functionName] ?? {})];
  return candidates.some((key) => sameKey(presented, key));
}

/** The key a request presents: the `x-functions-key` header, else the `code` query parameter. */
export function presentedKey(header: string | string[] | undefined, query: URLSearchParams): string | undefined {
  const fromHeader = Array.isArray(header) ? header[0] : header;
  return fromHeader ?? query.get('code') ?? undefined;
}

function sameKey(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
