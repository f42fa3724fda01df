import type { SqlValue } from './sqlAst';

/** What filters read of a message: system properties by lower-case name, and the application properties. */
export interface FilterableMessage {
  /** A system property (`messageid`, `label`, …); undefined when the message does not carry it. */
  system(name: string): SqlValue | undefined;
  readonly applicationProperties: Readonly<Record<string, unknown>>;
}

/** Application property values as filters compare them: dates as epoch milliseconds, other objects unknown. */
export function toSqlValue(value: unknown): SqlValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (value instanceof Date) {
    return value.getTime();
  }
  return null;
}
