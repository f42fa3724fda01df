import path from 'node:path';
import { ConfigurationError } from '../errors';
import { describe, isObject, readJsonObject } from './jsonFile';

/** What Core Tools reads from local.settings.json. */
export interface LocalSettings {
  values: Record<string, string>;
  connectionStrings: Record<string, string>;
  localHttpPort: number | undefined;
  cors: string[];
  corsCredentials: boolean;
}

/** Reads local.settings.json from the app folder; a missing file means no local settings. */
export function readLocalSettings(appDir: string): LocalSettings {
  const file = path.join(appDir, 'local.settings.json');
  const json = readJsonObject(file, { optional: true }) ?? {};
  const host = optionalObject(json.Host, 'Host', file);

  return {
    values: stringMap(json.Values, 'Values', file),
    connectionStrings: stringMap(json.ConnectionStrings, 'ConnectionStrings', file),
    localHttpPort: optionalPort(host.LocalHttpPort, file),
    cors:
      typeof host.CORS === 'string'
        ? host.CORS.split(',')
            .map((origin) => origin.trim())
            .filter(Boolean)
        : [],
    corsCredentials: host.CORSCredentials === true,
  };
}

/**
 * Puts `Values` into the environment without overriding variables that are already set, as Core Tools does.
 * Returns the names it set.
 */
export function applyToEnvironment(values: Record<string, string>, env: NodeJS.ProcessEnv = process.env): string[] {
  const applied: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (env[name] === undefined) {
      env[name] = value;
      applied.push(name);
    }
  }
  return applied;
}

function optionalObject(value: unknown, name: string, file: string): Record<string, unknown> {
  if (value === undefined) {
    return {};
  }
  if (!isObject(value)) {
    throw new ConfigurationError(`${file}: "${name}" must be an object, but is ${describe(value)}.`, { file });
  }
  return value;
}

function stringMap(value: unknown, name: string, file: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(optionalObject(value, name, file))) {
    if (typeof entry === 'string') {
      result[key] = entry;
    } else if (typeof entry === 'number' || typeof entry === 'boolean') {
      result[key] = String(entry);
    } else {
      throw new ConfigurationError(`${file}: "${name}.${key}" must be a string, but is ${describe(entry)}.`, {
        file,
        setting: key,
      });
    }
  }
  return result;
}

function optionalPort(value: unknown, file: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const port = typeof value === 'string' ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError(`${file}: "Host.LocalHttpPort" must be a port number, but is ${describe(value)}.`, {
      file,
      setting: 'Host.LocalHttpPort',
    });
  }
  return port;
}
