import { redactSecrets } from './redact';

/** Log levels in increasing severity; `none` switches a category off. */
export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'none'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Level names as .NET and the Node.js worker spell them (lower-cased), mapped to this logger's levels. */
export const levelsByDotnetName: Readonly<Record<string, LogLevel>> = {
  trace: 'trace',
  debug: 'debug',
  information: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'error',
  none: 'none',
};

/** Structured context of a log line: function, invocationId, trigger, durationMs, outcome, queue, … */
export type LogFields = Record<string, string | number | boolean | undefined | null>;

/** The host's one logging interface: fixed message text, context in fields, a category like the real host's. */
export interface Logger {
  readonly category: string;
  log(level: Exclude<LogLevel, 'none'>, message: string, fields?: LogFields): void;
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger for another category (e.g. `Function.orders`), sharing sink and levels. */
  forCategory(category: string): Logger;
  isEnabled(level: Exclude<LogLevel, 'none'>): boolean;
}

/** A formatted line on its way out; tests collect these to assert on logging. */
export interface LogRecord {
  time: Date;
  level: Exclude<LogLevel, 'none'>;
  category: string;
  message: string;
  fields: LogFields;
}

export type LogSink = (record: LogRecord) => void;

/** Minimum level per category prefix, most specific prefix wins; `default` applies to the rest. */
export type LogLevelMap = Record<string, LogLevel>;

/** Builds the host's logger. Every message and field value passes through secret redaction. */
export function createLogger(options: { levels?: LogLevelMap; sink?: LogSink; category?: string } = {}): Logger {
  const levels = options.levels ?? { default: 'info' };
  const sink = options.sink ?? consoleSink;
  const cache = new Map<string, LogLevel>();
  const minimumFor = (category: string): LogLevel => {
    let level = cache.get(category);
    if (level === undefined) {
      level = resolveLevel(levels, category);
      cache.set(category, level);
    }
    return level;
  };
  const make = (category: string): Logger => {
    const isEnabled = (level: Exclude<LogLevel, 'none'>) => rank(level) >= rank(minimumFor(category));
    const log = (level: Exclude<LogLevel, 'none'>, message: string, fields: LogFields = {}) => {
      if (isEnabled(level)) {
        sink({ time: new Date(), level, category, message: redactSecrets(message), fields: redactFields(fields) });
      }
    };
    return {
      category,
      log,
      isEnabled,
      trace: (m, f) => log('trace', m, f),
      debug: (m, f) => log('debug', m, f),
      info: (m, f) => log('info', m, f),
      warn: (m, f) => log('warn', m, f),
      error: (m, f) => log('error', m, f),
      forCategory: make,
    };
  };
  return make(options.category ?? 'Host.General');
}

/** Writes `[time] message key=value …` lines; warnings and errors to stderr. */
export function consoleSink(record: LogRecord): void {
  const fields = Object.entries(record.fields)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(' ');
  const line = `[${record.time.toISOString()}] ${record.message}${fields ? ` ${fields}` : ''}`;
  if (record.level === 'warn' || record.level === 'error') {
    process.stderr.write(`${line}\n`);
  } else {
    process.stdout.write(`${line}\n`);
  }
}

function formatValue(value: string | number | boolean | null | undefined): string {
  const text = String(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

function redactFields(fields: LogFields): LogFields {
  const result: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    result[key] = typeof value === 'string' ? redactSecrets(value) : value;
  }
  return result;
}

function resolveLevel(levels: LogLevelMap, category: string): LogLevel {
  let best: { length: number; level: LogLevel } | undefined;
  for (const [prefix, level] of Object.entries(levels)) {
    const matches = prefix !== 'default' && (category === prefix || category.startsWith(`${prefix}.`));
    if (matches && (!best || prefix.length > best.length)) {
      best = { length: prefix.length, level };
    }
  }
  return best?.level ?? levels.default ?? 'info';
}

function rank(level: LogLevel): number {
  return logLevels.indexOf(level);
}
