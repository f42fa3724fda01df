/** A value in a SQL filter: unknown (a missing user property, or an operation on one) is null. */
export type SqlValue = string | number | boolean | null;

export type ComparisonOperator = '=' | '<>' | '>' | '>=' | '<' | '<=';
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';

/** A property reference: `sys.Label`, `user.color`, or a bare `color` (user scope by default). */
export interface SqlProperty {
  kind: 'property';
  scope: 'sys' | 'user';
  /** System property names are stored lower-case (they are case-insensitive); user names as written. */
  name: string;
}

/** The parsed form of a SQL filter expression. */
export type SqlExpression =
  | { kind: 'literal'; value: SqlValue }
  | SqlProperty
  | { kind: 'negate'; operand: SqlExpression }
  | { kind: 'arithmetic'; operator: ArithmeticOperator; left: SqlExpression; right: SqlExpression }
  | { kind: 'compare'; operator: ComparisonOperator; left: SqlExpression; right: SqlExpression }
  | { kind: 'and' | 'or'; left: SqlExpression; right: SqlExpression }
  | { kind: 'not'; operand: SqlExpression }
  | { kind: 'in'; negated: boolean; value: SqlExpression; list: SqlExpression[] }
  | { kind: 'like'; negated: boolean; value: SqlExpression; pattern: SqlExpression; escape?: SqlExpression }
  | { kind: 'isNull'; negated: boolean; value: SqlExpression }
  | { kind: 'exists'; property: SqlProperty };

/**
 * System properties a filter may name (case-insensitive), from the service's SQL filter syntax page
 * (learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-sql-filter): naming any other is an error.
 */
export const systemPropertyNames = new Set([
  'contenttype',
  'correlationid',
  'deliverycount',
  'enqueuedsequencenumber',
  'enqueuedtimeutc',
  'expiresatutc',
  'label',
  'subject',
  'messageid',
  'replyto',
  'replytosessionid',
  'scheduledenqueuetimeutc',
  'sequencenumber',
  'sessionid',
  'size',
  'timetolive',
  'to',
]);
