/** Context of a broker log line: connection, link, entity, sessionId, count, durationMs, … */
export type BrokerLogFields = Record<string, string | number | boolean | undefined>;

/**
 * The broker's one logging interface: fixed message text, context in fields. The host passes its own logger,
 * which has this shape; nothing here ever puts a key, token or connection string into a message or field.
 */
export interface BrokerLogger {
  debug(message: string, fields?: BrokerLogFields): void;
  info(message: string, fields?: BrokerLogFields): void;
  warn(message: string, fields?: BrokerLogFields): void;
  error(message: string, fields?: BrokerLogFields): void;
}

/** A logger that drops everything; the default when the caller passes none (tests, embedding). */
export const silentLogger: BrokerLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
