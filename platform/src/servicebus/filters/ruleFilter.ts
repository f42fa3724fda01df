import type { CorrelationFilterConfig, RuleConfig } from '../config/entityConfig';
import { toSqlValue, type FilterableMessage } from './filterableMessage';
import { matchesSqlFilter } from './sqlEvaluator';
import { parseSqlFilter } from './sqlParser';

/** A subscription rule ready to test messages. */
export interface CompiledRule {
  readonly name: string;
  matches(message: FilterableMessage): boolean;
}

/** Compiles a rule from config; SQL expressions were already validated when the config was read. */
export function compileRule(rule: RuleConfig): CompiledRule {
  if (rule.filter.type === 'sql') {
    const expression = parseSqlFilter(rule.filter.expression);
    return { name: rule.name, matches: (message) => matchesSqlFilter(expression, message) };
  }
  const correlation = rule.filter.correlation;
  return { name: rule.name, matches: (message) => matchesCorrelationFilter(correlation, message) };
}

const correlationSystemProperties: Array<[keyof CorrelationFilterConfig, string]> = [
  ['contentType', 'contenttype'],
  ['correlationId', 'correlationid'],
  ['label', 'label'],
  ['messageId', 'messageid'],
  ['replyTo', 'replyto'],
  ['replyToSessionId', 'replytosessionid'],
  ['sessionId', 'sessionid'],
  ['to', 'to'],
];

/** A correlation filter matches when every property it names equals the message's, exactly. */
export function matchesCorrelationFilter(filter: CorrelationFilterConfig, message: FilterableMessage): boolean {
  for (const [key, systemName] of correlationSystemProperties) {
    const expected = filter[key];
    if (expected !== undefined && message.system(systemName) !== expected) {
      return false;
    }
  }
  for (const [name, expected] of Object.entries(filter.properties ?? {})) {
    if (toSqlValue(message.applicationProperties[name]) !== expected) {
      return false;
    }
  }
  return true;
}
