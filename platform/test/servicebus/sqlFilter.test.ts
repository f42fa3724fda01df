import { SqlFilterSyntaxError } from '../../src/servicebus/errors';
import type { FilterableMessage } from '../../src/servicebus/filters/filterableMessage';
import { matchesCorrelationFilter } from '../../src/servicebus/filters/ruleFilter';
import { matchesSqlFilter } from '../../src/servicebus/filters/sqlEvaluator';
import { parseSqlFilter } from '../../src/servicebus/filters/sqlParser';

function message(
  applicationProperties: Record<string, unknown>,
  system: Record<string, string | number> = {},
): FilterableMessage {
  return { applicationProperties, system: (name) => system[name] };
}

function matches(expression: string, m: FilterableMessage): boolean {
  return matchesSqlFilter(parseSqlFilter(expression), m);
}

describe('SQL filters', () => {
  const order = message(
    { color: 'red', size: 12, price: 9.5, vip: true, note: 'ab%c', when: new Date(1000) },
    { messageid: 'm-1', label: 'order', sequencenumber: 5 },
  );

  it('compares user properties, with or without the user scope', () => {
    expect(matches("color = 'red'", order)).toBe(true);
    expect(matches("user.color <> 'red'", order)).toBe(false);
    expect(matches('size >= 12 AND price < 10', order)).toBe(true);
    expect(matches('size != 12', order)).toBe(false);
    expect(matches('vip = TRUE', order)).toBe(true);
    expect(matches('[color] = "red"', message({ color: 'red' }))).toBe(false);
  });

  it('reads system properties case-insensitively under sys.', () => {
    expect(matches("sys.Label = 'order' AND sys.MESSAGEID = 'm-1'", order)).toBe(true);
    expect(matches("sys.Subject = 'order'", message({}, { subject: 'order' }))).toBe(true);
    expect(matches('sys.SequenceNumber > 4', order)).toBe(true);
  });

  it('evaluates IN, NOT IN, LIKE with escapes, IS NULL and EXISTS', () => {
    expect(matches("color IN ('blue', 'red')", order)).toBe(true);
    expect(matches("color NOT IN ('blue', 'red')", order)).toBe(false);
    expect(matches("sys.Label LIKE 'ord_r'", order)).toBe(true);
    expect(matches("note LIKE 'ab!%c' ESCAPE '!'", order)).toBe(true);
    expect(matches("note LIKE 'ab!%' ESCAPE '!'", order)).toBe(false);
    expect(matches('missing IS NULL AND color IS NOT NULL', order)).toBe(true);
    expect(matches('EXISTS(vip) AND NOT EXISTS(missing)', order)).toBe(true);
    expect(matches('EXISTS(sys.MessageId)', order)).toBe(true);
  });

  it('treats a missing property as unknown: neither a comparison nor its negation matches', () => {
    expect(matches("missing = 'x'", order)).toBe(false);
    expect(matches("NOT (missing = 'x')", order)).toBe(false);
    expect(matches("missing = 'x' OR color = 'red'", order)).toBe(true);
    expect(matches("missing IN ('x')", order)).toBe(false);
  });

  it('does arithmetic with precedence and parentheses', () => {
    expect(matches('size + 2 * 4 = 20', order)).toBe(true);
    expect(matches('(size + 2) * 4 = 56', order)).toBe(true);
    expect(matches('-size < 0 AND size % 5 = 2', order)).toBe(true);
    expect(matches('1=1', message({}))).toBe(true);
  });

  it('compares dates as epoch milliseconds and keeps AND tighter than OR', () => {
    expect(matches('when = 1000', order)).toBe(true);
    expect(matches("color = 'blue' AND size = 1 OR vip = TRUE", order)).toBe(true);
    expect(matches("color = 'blue' AND (size = 1 OR vip = TRUE)", order)).toBe(false);
  });

  it('reports syntax errors with the position, and unknown system properties', () => {
    expect(() => parseSqlFilter("color = 'red")).toThrow(SqlFilterSyntaxError);
    expect(() => parseSqlFilter('color = ')).toThrow(/at character 9 .*expected a value/);
    expect(() => parseSqlFilter('sys.Colour = 1')).toThrow(/'Colour' is not a system property/);
    expect(() => parseSqlFilter('a = 1 b')).toThrow(/unexpected 'b'/);
    expect(() => parseSqlFilter('a NOT = 1')).toThrow(/expected IN or LIKE after NOT/);
  });
});

describe('correlation filters', () => {
  it('match when every given property equals the message', () => {
    const m = message({ color: 'red', n: 3 }, { label: 'order', correlationid: 'c' });
    expect(matchesCorrelationFilter({ label: 'order', properties: { color: 'red', n: 3 } }, m)).toBe(true);
    expect(matchesCorrelationFilter({ correlationId: 'c', label: 'other' }, m)).toBe(false);
    expect(matchesCorrelationFilter({ properties: { color: 'blue' } }, m)).toBe(false);
  });
});
