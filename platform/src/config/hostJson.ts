import path from 'node:path';
import { ConfigurationError } from '../errors';
import { levelsByDotnetName, type LogLevelMap } from '../host/logger';
import { describe, isObject, readJsonObject } from './jsonFile';
import { parseTimeSpan } from './timeSpan';

/** host.json after `AzureFunctionsJobHost__…` overrides, with the settings the host itself reads. */
export interface HostJson {
  readonly file: string;
  /** The merged document; extensions read their own sections with `readSection`. */
  readonly raw: Record<string, unknown>;
  readonly functionTimeoutMs: number | undefined;
  readonly logLevels: LogLevelMap;
  readonly http: { routePrefix: string; maxRequestBodySize: number };
}

/** Core Tools' local default: 30 minutes. `-1` means unbounded. */
const defaultFunctionTimeoutMs = 30 * 60 * 1000;
/** Kestrel's request body limit as the Functions host configures it (100 MB). */
const defaultMaxRequestBodySize = 104_857_600;
const overridePrefix = 'AzureFunctionsJobHost__';

/** Reads and checks host.json; every problem is a configuration error naming the file and setting. */
export function readHostJson(appDir: string, env: NodeJS.ProcessEnv = process.env): HostJson {
  const file = path.join(appDir, 'host.json');
  const raw = applyOverrides(readJsonObject(file, { optional: false }) ?? {}, env);
  if (raw.version !== '2.0') {
    throw new ConfigurationError(`${file}: "version" must be "2.0", but is ${describe(raw.version)}.`, {
      file,
      setting: 'version',
    });
  }
  const http = readSection(raw, ['extensions', 'http'], file);

  return {
    file,
    raw,
    functionTimeoutMs: readFunctionTimeout(raw.functionTimeout, file),
    logLevels: readLogLevels(readSection(raw, ['logging', 'logLevel'], file), file),
    http: {
      routePrefix: readRoutePrefix(http.routePrefix, file),
      maxRequestBodySize:
        readPositiveNumber(http.maxRequestBodySize, 'extensions.http.maxRequestBodySize', file) ??
        defaultMaxRequestBodySize,
    },
  };
}

/** An object-valued section such as `extensions.queues`; absent means empty, anything else is an error. */
export function readSection(raw: Record<string, unknown>, keys: string[], file: string): Record<string, unknown> {
  let current: unknown = raw;
  for (const key of keys) {
    current = isObject(current) ? getIgnoringCase(current, key) : undefined;
  }
  if (current === undefined) {
    return {};
  }
  if (!isObject(current)) {
    throw new ConfigurationError(`${file}: "${keys.join('.')}" must be an object, but is ${describe(current)}.`, {
      file,
      setting: keys.join('.'),
    });
  }
  return current;
}

/** A host.json duration: a TimeSpan string, or `-1`/null where unbounded is allowed. */
export function readDuration(value: unknown, setting: string, file: string): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const ms = typeof value === 'string' ? parseTimeSpan(value) : undefined;
  if (ms === undefined || ms < 0) {
    throw new ConfigurationError(
      `${file}: "${setting}" must be a TimeSpan such as "00:00:30", but is ${describe(value)}.`,
      { file, setting },
    );
  }
  return ms;
}

/** A host.json number that must be positive (or zero when `allowZero`). */
export function readPositiveNumber(
  value: unknown,
  setting: string,
  file: string,
  allowZero = false,
): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || (!allowZero && number === 0)) {
    throw new ConfigurationError(
      `${file}: "${setting}" must be a ${allowZero ? 'non-negative' : 'positive'} number, but is ${describe(value)}.`,
      { file, setting },
    );
  }
  return number;
}

function readFunctionTimeout(value: unknown, file: string): number | undefined {
  if (value === undefined) {
    return defaultFunctionTimeoutMs;
  }
  if (value === null || value === '-1' || value === -1) {
    return undefined;
  }
  const ms = readDuration(value, 'functionTimeout', file);
  if (ms !== undefined && ms < 1000) {
    throw new ConfigurationError(`${file}: "functionTimeout" must be at least 00:00:01, but is ${describe(value)}.`, {
      file,
      setting: 'functionTimeout',
    });
  }
  return ms;
}

function readLogLevels(section: Record<string, unknown>, file: string): LogLevelMap {
  const levels: LogLevelMap = { default: 'info' };
  for (const [category, value] of Object.entries(section)) {
    const level = typeof value === 'string' ? levelsByDotnetName[value.toLowerCase()] : undefined;
    if (!level) {
      throw new ConfigurationError(
        `${file}: "logging.logLevel.${category}" must be one of Trace, Debug, Information, Warning, Error, ` +
          `Critical, None, but is ${describe(value)}.`,
        { file, setting: `logging.logLevel.${category}` },
      );
    }
    levels[category === 'default' || category === 'Default' ? 'default' : category] = level;
  }
  return levels;
}

function readRoutePrefix(value: unknown, file: string): string {
  if (value === undefined) {
    return 'api';
  }
  if (typeof value !== 'string') {
    throw new ConfigurationError(
      `${file}: "extensions.http.routePrefix" must be a string, but is ${describe(value)}.`,
      {
        file,
        setting: 'extensions.http.routePrefix',
      },
    );
  }
  return value.replace(/^\/+|\/+$/g, '');
}

/** `AzureFunctionsJobHost__extensions__queues__batchSize=4` sets `extensions.queues.batchSize`. */
function applyOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const merged = structuredClone(raw);
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(overridePrefix) || value === undefined) {
      continue;
    }
    const keys = name.slice(overridePrefix.length).split('__');
    let target = merged;
    keys.slice(0, -1).forEach((key) => {
      const existingKey = findKeyIgnoringCase(target, key) ?? key;
      if (!isObject(target[existingKey])) {
        target[existingKey] = {};
      }
      target = target[existingKey] as Record<string, unknown>;
    });
    const last = keys[keys.length - 1] ?? '';
    target[findKeyIgnoringCase(target, last) ?? last] = value;
  }
  return merged;
}

/** .NET configuration keys are case-insensitive. */
export function getIgnoringCase(object: Record<string, unknown>, key: string): unknown {
  const found = findKeyIgnoringCase(object, key);
  return found === undefined ? undefined : object[found];
}

function findKeyIgnoringCase(object: Record<string, unknown>, key: string): string | undefined {
  const lower = key.toLowerCase();
  return Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
}
