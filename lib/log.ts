import type { InvocationContext } from '@azure/functions';

/** Structured context for a log line: ids and figures, never secrets. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** The one logging interface of the app: fixed message text, context in fields. */
export interface AppLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that writes through the invocation's context, so the host files lines under the function. */
export function loggerFor(context: InvocationContext): AppLogger {
  const write = (log: (...args: unknown[]) => void) => (message: string, fields?: LogFields) =>
    fields === undefined ? log(message) : log(message, fields);
  return {
    debug: write(context.debug.bind(context)),
    info: write(context.info.bind(context)),
    warn: write(context.warn.bind(context)),
    error: write(context.error.bind(context)),
  };
}
