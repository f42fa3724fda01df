import { RouteTemplateError } from '../errors';
import { createRouteConstraint, type RouteConstraint } from './routeConstraints';

/** One `{…}` of a route template. */
export interface RouteParameter {
  readonly name: string;
  /** `{name?}`: the segment may be left out. */
  readonly optional: boolean;
  /** `{*rest}` or `{**rest}`: takes the rest of the path, slashes included. */
  readonly catchAll: boolean;
  /** `{name=value}`: the value when the segment is left out. */
  readonly defaultValue: string | undefined;
  readonly constraints: readonly RouteConstraint[];
}

/** A literal piece or a parameter; a segment such as `{file}.{ext}` has several parts. */
export type TemplatePart =
  | { readonly kind: 'literal'; readonly text: string; readonly lower: string }
  | { readonly kind: 'parameter'; readonly parameter: RouteParameter };

/** One `/`-separated segment of a template. */
export interface TemplateSegment {
  readonly parts: readonly TemplatePart[];
  /** For segments with several parts: the whole segment, one capture group per parameter in order. */
  readonly pattern: RegExp | undefined;
  /** The same without a trailing optional parameter (and the literal before it), when the segment has one. */
  readonly patternWithoutOptional: RegExp | undefined;
}

/** A parsed, checked route template, ready to match request paths. */
export interface RouteTemplate {
  /** The template without leading or trailing slashes. */
  readonly text: string;
  readonly segments: readonly TemplateSegment[];
  readonly parameters: readonly RouteParameter[];
}

/**
 * Parses an ASP.NET Core route template (`products/{category:alpha}/{id:int?}`, `files/{*path}`) as the Functions
 * host accepts it in an HTTP trigger's `route`. Throws a RouteTemplateError saying what is wrong and where.
 */
export function parseRouteTemplate(template: string, functionName?: string): RouteTemplate {
  const text = template.replace(/^~?\/+/, '').replace(/\/+$/, '');
  const fail = (reason: string): never => {
    throw new RouteTemplateError(`The route template '${template}' is invalid: ${reason}.`, template, functionName);
  };

  const segments = text === '' ? [] : splitSegments(text).map((segment) => parseSegment(segment, fail));
  const parameters = segments.flatMap((segment) => segment.parts.flatMap(parameterOf));
  checkParameters(segments, parameters, fail);
  return { text, segments, parameters };
}

/** Splits on `/` outside of parameters (a regex constraint may contain slashes). */
function splitSegments(text: string): string[] {
  const segments: string[] = [];
  let current = '';
  let inParameter = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    const next = text.charAt(i + 1);
    if ((char === '{' || char === '}') && next === char) {
      current += char + next;
      i++;
      continue;
    }
    if (char === '/' && !inParameter) {
      segments.push(current);
      current = '';
      continue;
    }
    inParameter = char === '{' ? true : char === '}' ? false : inParameter;
    current += char;
  }
  segments.push(current);
  return segments;
}

function parseSegment(segment: string, fail: (reason: string) => never): TemplateSegment {
  if (segment === '') {
    fail("'/' may not appear twice in a row");
  }
  const parts: TemplatePart[] = [];
  let literal = '';
  const flushLiteral = () => {
    if (literal !== '') {
      parts.push({ kind: 'literal', text: literal, lower: literal.toLowerCase() });
      literal = '';
    }
  };
  for (let i = 0; i < segment.length; i++) {
    const char = segment.charAt(i);
    if ((char === '{' || char === '}') && segment.charAt(i + 1) === char) {
      literal += char;
      i++;
    } else if (char === '}') {
      fail(`the segment '${segment}' has a '}' without a matching '{'`);
    } else if (char === '{') {
      const { body, end } = readParameterBody(segment, i + 1, fail);
      flushLiteral();
      parts.push({ kind: 'parameter', parameter: parseParameter(body, fail) });
      i = end;
    } else if (char === '?') {
      fail(`'?' in '${segment}' may only mark an optional parameter, as in '{name?}'`);
    } else {
      literal += char;
    }
  }
  flushLiteral();
  return compileSegment(segment, parts, fail);
}

/** Reads up to the `}` that closes a parameter; `{{` and `}}` inside stand for single braces. */
function readParameterBody(segment: string, start: number, fail: (reason: string) => never) {
  let body = '';
  for (let i = start; i < segment.length; i++) {
    const char = segment.charAt(i);
    const doubled = segment.charAt(i + 1) === char;
    if ((char === '{' || char === '}') && doubled) {
      body += char;
      i++;
    } else if (char === '}') {
      return { body, end: i };
    } else if (char === '{') {
      fail(`the segment '${segment}' opens a parameter inside a parameter`);
    } else {
      body += char;
    }
  }
  return fail(`the segment '${segment}' has a '{' without a closing '}'`);
}

function parseParameter(body: string, fail: (reason: string) => never): RouteParameter {
  const catchAllMatch = /^\*{1,2}/.exec(body);
  let rest = body.slice(catchAllMatch?.[0].length ?? 0);
  const name = /^[^:=?]*/.exec(rest)?.[0] ?? '';
  if (name.trim() === '' || /[{}/*]/.test(name)) {
    fail(`'{${body}}' needs a parameter name without '{', '}', '/' or '*'`);
  }
  rest = rest.slice(name.length);

  const constraints: RouteConstraint[] = [];
  while (rest.startsWith(':')) {
    const constraintName = /^:([A-Za-z]+)/.exec(rest)?.[1];
    if (!constraintName) {
      fail(`'{${body}}' has a ':' that is not followed by a constraint name`);
    }
    rest = rest.slice(constraintName.length + 1);
    let argText: string | undefined;
    if (rest.startsWith('(')) {
      const close = closingParenthesis(rest);
      if (close < 0) {
        fail(`the constraint '${constraintName}' in '{${body}}' has no closing ')'`);
      }
      argText = rest.slice(1, close);
      rest = rest.slice(close + 1);
    }
    try {
      constraints.push(createRouteConstraint(constraintName, argText));
    } catch (error) {
      fail(`in '{${body}}', ${(error as Error).message}`);
    }
  }

  const optional = rest.endsWith('?');
  const defaultText = rest.startsWith('=') ? rest.slice(1, optional ? -1 : undefined) : undefined;
  if (rest !== '' && rest !== '?' && defaultText === undefined) {
    fail(`'{${body}}' has unexpected text '${rest}' after the parameter name`);
  }
  if (optional && defaultText !== undefined) {
    fail(`'{${body}}' cannot be optional and have a default value`);
  }
  if (catchAllMatch && optional) {
    fail(`the catch-all parameter '{${body}}' cannot be marked optional; it already is`);
  }
  return { name, optional, catchAll: catchAllMatch !== null, defaultValue: defaultText, constraints };
}

/** Index of the `)` that closes the `(` at index 0, skipping nested pairs and backslash escapes; -1 if none. */
function closingParenthesis(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '\\') {
      i++;
    } else if (char === '(') {
      depth++;
    } else if (char === ')' && --depth === 0) {
      return i;
    }
  }
  return -1;
}

function compileSegment(segment: string, parts: TemplatePart[], fail: (reason: string) => never): TemplateSegment {
  if (parts.length === 1) {
    return { parts, pattern: undefined, patternWithoutOptional: undefined };
  }
  parts.forEach((part, index) => {
    const previous = parts[index - 1];
    if (part.kind !== 'parameter') {
      return;
    }
    if (previous?.kind === 'parameter') {
      fail(`the segment '${segment}' has two parameters in a row; put a literal between them`);
    }
    if (part.parameter.catchAll) {
      fail(`the catch-all parameter in '${segment}' must be the whole segment`);
    }
    if (part.parameter.optional && (index !== parts.length - 1 || index === 0)) {
      fail(`the optional parameter in '${segment}' must be last in its segment, after a literal`);
    }
  });
  const last = parts[parts.length - 1];
  const hasOptionalTail = last?.kind === 'parameter' && last.parameter.optional;
  return {
    parts,
    pattern: segmentPattern(parts),
    patternWithoutOptional: hasOptionalTail ? segmentPattern(parts.slice(0, -2)) : undefined,
  };
}

/** Earlier parameters are greedy, so literals are found from the right, as ASP.NET matches complex segments. */
function segmentPattern(parts: readonly TemplatePart[]): RegExp {
  const body = parts
    .map((part) => (part.kind === 'literal' ? part.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '(.+)'))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

function parameterOf(part: TemplatePart): RouteParameter[] {
  return part.kind === 'parameter' ? [part.parameter] : [];
}

function checkParameters(
  segments: readonly TemplateSegment[],
  parameters: readonly RouteParameter[],
  fail: (reason: string) => never,
): void {
  const seen = new Set<string>();
  for (const parameter of parameters) {
    const key = parameter.name.toLowerCase();
    if (seen.has(key)) {
      fail(`the parameter name '${parameter.name}' appears more than once`);
    }
    seen.add(key);
  }
  segments.forEach((segment, index) => {
    const catchAll = segment.parts.some((part) => part.kind === 'parameter' && part.parameter.catchAll);
    if (catchAll && index !== segments.length - 1) {
      fail('a catch-all parameter may only appear in the last segment');
    }
  });
}
