import { SqlFilterSyntaxError } from '../errors';
import { systemPropertyNames, type ComparisonOperator, type SqlExpression, type SqlProperty } from './sqlAst';
import { tokenizeSql, type SqlToken } from './sqlLexer';

const comparisonOperators = new Map<string, ComparisonOperator>([
  ['=', '='],
  ['<>', '<>'],
  ['!=', '<>'],
  ['>', '>'],
  ['>=', '>='],
  ['<', '<'],
  ['<=', '<='],
]);

/**
 * Parses a Service Bus SQL filter (a SQL-92 subset): comparisons, arithmetic, AND / OR / NOT, [NOT] IN,
 * [NOT] LIKE with ESCAPE, IS [NOT] NULL and EXISTS on system (`sys.`) and user properties.
 */
export function parseSqlFilter(expression: string): SqlExpression {
  const parser = new SqlParser(expression, tokenizeSql(expression));
  const result = parser.parseOr();
  parser.expectEnd();
  return result;
}

class SqlParser {
  private index = 0;

  constructor(
    private readonly expression: string,
    private readonly tokens: SqlToken[],
  ) {}

  parseOr(): SqlExpression {
    let left = this.parseAnd();
    while (this.takeKeyword('OR')) {
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') {
      this.fail(`unexpected ${describe(token)} after the end of the expression`, token);
    }
  }

  private parseAnd(): SqlExpression {
    let left = this.parseNot();
    while (this.takeKeyword('AND')) {
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): SqlExpression {
    if (this.takeKeyword('NOT')) {
      return { kind: 'not', operand: this.parseNot() };
    }
    return this.parsePredicate();
  }

  private parsePredicate(): SqlExpression {
    const left = this.parseAdditive();
    const token = this.peek();
    const operator = token.kind === 'symbol' ? comparisonOperators.get(token.text) : undefined;
    if (operator) {
      this.index++;
      return { kind: 'compare', operator, left, right: this.parseAdditive() };
    }
    if (this.takeKeyword('IS')) {
      const negated = this.takeKeyword('NOT');
      this.expectKeyword('NULL');
      return { kind: 'isNull', negated, value: left };
    }
    const negated = this.takeKeyword('NOT');
    if (this.takeKeyword('IN')) {
      return { kind: 'in', negated, value: left, list: this.parseList() };
    }
    if (this.takeKeyword('LIKE')) {
      const pattern = this.parseAdditive();
      const escape = this.takeKeyword('ESCAPE') ? this.parseAdditive() : undefined;
      return { kind: 'like', negated, value: left, pattern, ...(escape ? { escape } : {}) };
    }
    if (negated) {
      this.fail(`expected IN or LIKE after NOT, got ${describe(this.peek())}`, this.peek());
    }
    return left;
  }

  private parseList(): SqlExpression[] {
    this.expectSymbol('(');
    const list = [this.parseAdditive()];
    while (this.takeSymbol(',')) {
      list.push(this.parseAdditive());
    }
    this.expectSymbol(')');
    return list;
  }

  private parseAdditive(): SqlExpression {
    let left = this.parseMultiplicative();
    for (;;) {
      const operator = this.takeSymbol('+') ? '+' : this.takeSymbol('-') ? '-' : undefined;
      if (!operator) {
        return left;
      }
      left = { kind: 'arithmetic', operator, left, right: this.parseMultiplicative() };
    }
  }

  private parseMultiplicative(): SqlExpression {
    let left = this.parseUnary();
    for (;;) {
      const operator = this.takeSymbol('*') ? '*' : this.takeSymbol('/') ? '/' : this.takeSymbol('%') ? '%' : undefined;
      if (!operator) {
        return left;
      }
      left = { kind: 'arithmetic', operator, left, right: this.parseUnary() };
    }
  }

  private parseUnary(): SqlExpression {
    if (this.takeSymbol('-')) {
      return { kind: 'negate', operand: this.parseUnary() };
    }
    if (this.takeSymbol('+')) {
      return this.parseUnary();
    }
    return this.parsePrimary();
  }

  private parsePrimary(): SqlExpression {
    const token = this.peek();
    this.index++;
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: token.value };
      case 'string':
        return { kind: 'literal', value: token.value };
      case 'identifier':
        return this.parsePropertyFrom(token);
      case 'keyword':
        return this.parseKeywordPrimary(token);
      case 'symbol':
        if (token.text === '(') {
          const inner = this.parseOr();
          this.expectSymbol(')');
          return inner;
        }
        break;
      case 'end':
        break;
    }
    return this.fail(`expected a value, property or '(', got ${describe(token)}`, token);
  }

  private parseKeywordPrimary(token: Extract<SqlToken, { kind: 'keyword' }>): SqlExpression {
    switch (token.text) {
      case 'TRUE':
        return { kind: 'literal', value: true };
      case 'FALSE':
        return { kind: 'literal', value: false };
      case 'NULL':
        return { kind: 'literal', value: null };
      case 'EXISTS': {
        this.expectSymbol('(');
        const property = this.parseProperty();
        this.expectSymbol(')');
        return { kind: 'exists', property };
      }
      default:
        return this.fail(`unexpected keyword ${token.text}`, token);
    }
  }

  private parseProperty(): SqlProperty {
    const token = this.peek();
    this.index++;
    if (token.kind !== 'identifier') {
      return this.fail(`expected a property name, got ${describe(token)}`, token);
    }
    return this.parsePropertyFrom(token);
  }

  private parsePropertyFrom(first: Extract<SqlToken, { kind: 'identifier' }>): SqlProperty {
    const scope = first.delimited ? undefined : first.text.toLowerCase();
    if ((scope === 'sys' || scope === 'user') && this.takeSymbol('.')) {
      const name = this.peek();
      this.index++;
      if (name.kind !== 'identifier') {
        return this.fail(`expected a property name after '${first.text}.', got ${describe(name)}`, name);
      }
      if (scope === 'sys') {
        const lower = name.text.toLowerCase();
        if (!systemPropertyNames.has(lower)) {
          return this.fail(`'${name.text}' is not a system property of a Service Bus message`, name);
        }
        return { kind: 'property', scope: 'sys', name: lower };
      }
      return { kind: 'property', scope: 'user', name: name.text };
    }
    return { kind: 'property', scope: 'user', name: first.text };
  }

  private peek(): SqlToken {
    return this.tokens[this.index] ?? { kind: 'end', position: this.expression.length };
  }

  private takeKeyword(keyword: string): boolean {
    const token = this.peek();
    if (token.kind === 'keyword' && token.text === keyword) {
      this.index++;
      return true;
    }
    return false;
  }

  private takeSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token.kind === 'symbol' && token.text === symbol) {
      this.index++;
      return true;
    }
    return false;
  }

  private expectKeyword(keyword: string): void {
    if (!this.takeKeyword(keyword)) {
      this.fail(`expected ${keyword}, got ${describe(this.peek())}`, this.peek());
    }
  }

  private expectSymbol(symbol: string): void {
    if (!this.takeSymbol(symbol)) {
      this.fail(`expected '${symbol}', got ${describe(this.peek())}`, this.peek());
    }
  }

  private fail(problem: string, token: SqlToken): never {
    throw new SqlFilterSyntaxError(problem, this.expression, token.position);
  }
}

function describe(token: SqlToken): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return `the string '${token.value}'`;
    case 'number':
      return `the number ${token.value}`;
    case 'keyword':
      return `the keyword ${token.text}`;
    default:
      return `'${token.text}'`;
  }
}
