import { types, type Typed } from 'rhea';
import type { CorrelationFilterConfig, RuleConfig } from '../config/entityConfig';
import { BadRequestError } from '../errors';
import { parseSqlFilter } from '../filters/sqlParser';

/** Descriptor codes of rule descriptions on `$management` (core-amqp `Constants.descriptorCodes`). */
const descriptors = {
  ruleDescription: 1335734829060,
  emptyRuleAction: 1335734829061,
  sqlFilter: 83483426822,
  correlationFilter: 83483426825,
} as const;

/** SQL compatibility level the service reports for SQL filters. */
const sqlCompatibilityLevel = 20;

const correlationKeys: Array<[keyof Omit<CorrelationFilterConfig, 'properties'>, string]> = [
  ['correlationId', 'correlation-id'],
  ['messageId', 'message-id'],
  ['to', 'to'],
  ['replyTo', 'reply-to'],
  ['label', 'label'],
  ['sessionId', 'session-id'],
  ['replyToSessionId', 'reply-to-session-id'],
  ['contentType', 'content-type'],
];

/** A rule from an `add-rule` request's `rule-description` map (sb `core/managementClient.ts`, addRule). */
export function fromRuleDescription(name: string, description: Record<string, unknown>): RuleConfig {
  if (description['sql-rule-action'] !== undefined && description['sql-rule-action'] !== null) {
    throw new BadRequestError(`Rule '${name}' has a SQL rule action; the local broker does not run rule actions.`);
  }
  const sql = description['sql-filter'] as { expression?: unknown } | undefined | null;
  if (sql) {
    if (typeof sql.expression !== 'string') {
      throw new BadRequestError(`Rule '${name}' needs 'sql-filter.expression' as a string.`);
    }
    parseSqlFilter(sql.expression);
    return { name, filter: { type: 'sql', expression: sql.expression } };
  }
  const correlation = description['correlation-filter'] as Record<string, unknown> | undefined | null;
  if (!correlation) {
    throw new BadRequestError(`Rule '${name}' needs a 'sql-filter' or a 'correlation-filter'.`);
  }
  const filter: CorrelationFilterConfig = {};
  for (const [key, wire] of correlationKeys) {
    const value = correlation[wire];
    if (typeof value === 'string') {
      filter[key] = value;
    }
  }
  const properties = correlation.properties;
  if (properties && typeof properties === 'object') {
    filter.properties = properties as Record<string, string | number | boolean>;
  }
  return { name, filter: { type: 'correlation', correlation: filter } };
}

/** The described rule description `enumerate-rules` returns: [filter, action, name] (read by the SDK's getRules). */
export function toRuleDescription(rule: RuleConfig): Typed {
  const filter =
    rule.filter.type === 'sql'
      ? described(descriptors.sqlFilter, [
          types.wrap_string(rule.filter.expression),
          types.wrap_int(sqlCompatibilityLevel),
        ])
      : described(descriptors.correlationFilter, toCorrelationList(rule.filter.correlation));
  const action = described(descriptors.emptyRuleAction, []);
  return described(descriptors.ruleDescription, [filter, action, types.wrap_string(rule.name)]);
}

function toCorrelationList(filter: CorrelationFilterConfig): Typed[] {
  const values = correlationKeys.map(([key]) =>
    filter[key] === undefined ? types.wrap(null) : types.wrap_string(filter[key]),
  );
  values.push(filter.properties ? types.wrap_map(filter.properties) : types.wrap(null));
  return values;
}

function described(code: number, items: Typed[]): Typed {
  return types.described(types.wrap_ulong(code), types.wrap_list(items)) as Typed;
}
