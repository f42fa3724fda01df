import type { ComparisonOperator, SqlExpression, SqlValue } from './sqlAst';
import { toSqlValue, type FilterableMessage } from './filterableMessage';

/**
 * Evaluates a parsed SQL filter against a message with SQL's three-valued logic: a missing user property is
 * unknown (null), comparisons with unknown are unknown, and only a true result matches.
 */
export function matchesSqlFilter(expression: SqlExpression, message: FilterableMessage): boolean {
  return evaluate(expression, message) === true;
}

function evaluate(expression: SqlExpression, message: FilterableMessage): SqlValue {
  switch (expression.kind) {
    case 'literal':
      return expression.value;
    case 'property':
      return expression.scope === 'sys'
        ? (message.system(expression.name) ?? null)
        : toSqlValue(message.applicationProperties[expression.name]);
    case 'negate': {
      const value = evaluate(expression.operand, message);
      return typeof value === 'number' ? -value : null;
    }
    case 'arithmetic':
      return arithmetic(expression.operator, evaluate(expression.left, message), evaluate(expression.right, message));
    case 'compare':
      return compare(expression.operator, evaluate(expression.left, message), evaluate(expression.right, message));
    case 'and':
      return and(evaluate(expression.left, message), evaluate(expression.right, message));
    case 'or':
      return or(evaluate(expression.left, message), evaluate(expression.right, message));
    case 'not':
      return not(evaluate(expression.operand, message));
    case 'in':
      return negateIf(expression.negated, isIn(expression.value, expression.list, message));
    case 'like':
      return negateIf(expression.negated, like(expression, message));
    case 'isNull':
      return evaluate(expression.value, message) === null ? !expression.negated : expression.negated;
    case 'exists':
      return expression.property.scope === 'sys'
        ? message.system(expression.property.name) !== undefined
        : Object.prototype.hasOwnProperty.call(message.applicationProperties, expression.property.name);
  }
}

function arithmetic(operator: string, left: SqlValue, right: SqlValue): SqlValue {
  if (typeof left === 'string' && typeof right === 'string' && operator === '+') {
    return left + right;
  }
  if (typeof left !== 'number' || typeof right !== 'number') {
    return null;
  }
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return right === 0 ? null : left / right;
    default:
      return right === 0 ? null : left % right;
  }
}

function compare(operator: ComparisonOperator, left: SqlValue, right: SqlValue): SqlValue {
  if (left === null || right === null || typeof left !== typeof right) {
    return null;
  }
  if (typeof left === 'boolean') {
    return operator === '=' ? left === right : operator === '<>' ? left !== right : null;
  }
  switch (operator) {
    case '=':
      return left === right;
    case '<>':
      return left !== right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    default:
      return left <= right;
  }
}

function and(left: SqlValue, right: SqlValue): SqlValue {
  if (left === false || right === false) {
    return false;
  }
  return left === true && right === true ? true : null;
}

function or(left: SqlValue, right: SqlValue): SqlValue {
  if (left === true || right === true) {
    return true;
  }
  return left === false && right === false ? false : null;
}

function not(value: SqlValue): SqlValue {
  return typeof value === 'boolean' ? !value : null;
}

function negateIf(negated: boolean, value: SqlValue): SqlValue {
  return negated ? not(value) : value;
}

function isIn(valueExpression: SqlExpression, list: SqlExpression[], message: FilterableMessage): SqlValue {
  const value = evaluate(valueExpression, message);
  if (value === null) {
    return null;
  }
  let unknown = false;
  for (const item of list) {
    const result = compare('=', value, evaluate(item, message));
    if (result === true) {
      return true;
    }
    unknown ||= result === null;
  }
  return unknown ? null : false;
}

function like(expression: Extract<SqlExpression, { kind: 'like' }>, message: FilterableMessage): SqlValue {
  const value = evaluate(expression.value, message);
  const pattern = evaluate(expression.pattern, message);
  const escape = expression.escape ? evaluate(expression.escape, message) : undefined;
  if (typeof value !== 'string' || typeof pattern !== 'string') {
    return null;
  }
  if (escape !== undefined && (typeof escape !== 'string' || escape.length !== 1)) {
    return null;
  }
  return likeToRegExp(pattern, escape).test(value);
}

/** `%` is any run of characters, `_` one character; the escape character makes the next one literal. */
function likeToRegExp(pattern: string, escape: string | undefined): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === escape && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[++i] as string);
    } else if (char === '%') {
      source += '[\\s\\S]*';
    } else if (char === '_') {
      source += '[\\s\\S]';
    } else {
      source += escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
