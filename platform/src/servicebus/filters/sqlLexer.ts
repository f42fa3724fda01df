import { SqlFilterSyntaxError } from '../errors';

/** A token of the Service Bus SQL filter language, with where it starts in the expression. */
export type SqlToken =
  | { kind: 'identifier'; text: string; delimited: boolean; position: number }
  | { kind: 'keyword'; text: SqlKeyword; position: number }
  | { kind: 'string'; value: string; position: number }
  | { kind: 'number'; value: number; position: number }
  | { kind: 'symbol'; text: string; position: number }
  | { kind: 'end'; position: number };

const keywords = ['AND', 'OR', 'NOT', 'IN', 'LIKE', 'ESCAPE', 'IS', 'NULL', 'EXISTS', 'TRUE', 'FALSE'] as const;
export type SqlKeyword = (typeof keywords)[number];

const symbols = ['<>', '!=', '>=', '<=', '=', '>', '<', '+', '-', '*', '/', '%', '(', ')', ',', '.'];

/** Splits a SQL filter expression into tokens; keywords are case-insensitive as in SQL-92. */
export function tokenizeSql(expression: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let position = 0;
  while (position < expression.length) {
    const char = expression[position] as string;
    if (/\s/.test(char)) {
      position++;
      continue;
    }
    const token = readToken(expression, position);
    tokens.push(token.token);
    position = token.next;
  }
  tokens.push({ kind: 'end', position });
  return tokens;
}

function readToken(expression: string, start: number): { token: SqlToken; next: number } {
  const char = expression[start] as string;
  if (char === "'") {
    return readQuoted(expression, start, "'", (value) => ({ kind: 'string', value, position: start }));
  }
  if (char === '[') {
    return readQuoted(expression, start, ']', (text) => ({
      kind: 'identifier',
      text,
      delimited: true,
      position: start,
    }));
  }
  if (char === '"') {
    return readQuoted(expression, start, '"', (text) => ({
      kind: 'identifier',
      text,
      delimited: true,
      position: start,
    }));
  }
  const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(expression.slice(start));
  if (number) {
    return { token: { kind: 'number', value: Number(number[0]), position: start }, next: start + number[0].length };
  }
  const word = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(expression.slice(start));
  if (word) {
    const upper = word[0].toUpperCase();
    const keyword = keywords.find((k) => k === upper);
    const token: SqlToken = keyword
      ? { kind: 'keyword', text: keyword, position: start }
      : { kind: 'identifier', text: word[0], delimited: false, position: start };
    return { token, next: start + word[0].length };
  }
  const symbol = symbols.find((s) => expression.startsWith(s, start));
  if (symbol) {
    return { token: { kind: 'symbol', text: symbol, position: start }, next: start + symbol.length };
  }
  throw new SqlFilterSyntaxError(`unexpected character '${char}'`, expression, start);
}

/** Reads a quoted run where a doubled closing quote stands for one quote character. */
function readQuoted(
  expression: string,
  start: number,
  close: string,
  make: (text: string) => SqlToken,
): { token: SqlToken; next: number } {
  let text = '';
  let position = start + 1;
  while (position < expression.length) {
    const char = expression[position] as string;
    if (char === close) {
      if (expression[position + 1] === close) {
        text += close;
        position += 2;
        continue;
      }
      return { token: make(text), next: position + 1 };
    }
    text += char;
    position++;
  }
  throw new SqlFilterSyntaxError(`unterminated ${close === "'" ? 'string' : 'identifier'}`, expression, start);
}
