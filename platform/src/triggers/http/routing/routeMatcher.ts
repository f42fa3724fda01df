import type { RouteParameter, RouteTemplate, TemplateSegment } from './routeTemplate';

/** Route values by parameter name; optional parameters that were left out are absent. */
export type RouteValues = Record<string, string>;

/**
 * Splits the part of a request path after the route prefix into its raw (still percent-encoded) segments.
 * One trailing slash is ignored, as ASP.NET Core routing does.
 */
export function splitRequestPath(path: string): string[] {
  const start = path.startsWith('/') ? 1 : 0;
  const end = path.length > start && path.endsWith('/') ? path.length - 1 : path.length;
  return start >= end ? [] : path.slice(start, end).split('/');
}

/**
 * Matches raw path segments against a template: literals case-insensitively, parameters with their constraints.
 * Returns the decoded route values, or undefined when the path does not match.
 */
export function matchRouteTemplate(template: RouteTemplate, path: readonly string[]): RouteValues | undefined {
  const values: RouteValues = {};
  const segments = template.segments;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as TemplateSegment;
    const catchAll = soleParameter(segment);
    if (catchAll?.catchAll) {
      return matchCatchAll(catchAll, path.slice(i), values);
    }
    if (i >= path.length) {
      return fillLeftOut(segments.slice(i), values);
    }
    if (!matchSegment(segment, path[i] as string, values)) {
      return undefined;
    }
  }
  return path.length <= segments.length ? values : undefined;
}

function matchSegment(segment: TemplateSegment, raw: string, values: RouteValues): boolean {
  const only = segment.parts.length === 1 ? segment.parts[0] : undefined;
  if (only?.kind === 'literal') {
    return raw.toLowerCase() === only.lower || decode(raw).toLowerCase() === only.lower;
  }
  if (only?.kind === 'parameter') {
    return accept(only.parameter, decode(raw), values);
  }
  return matchComplexSegment(segment, decode(raw), values);
}

function matchComplexSegment(segment: TemplateSegment, value: string, values: RouteValues): boolean {
  const parameters = segment.parts.flatMap((part) => (part.kind === 'parameter' ? [part.parameter] : []));
  for (const pattern of [segment.pattern, segment.patternWithoutOptional]) {
    const match = pattern?.exec(value);
    if (!match) {
      continue;
    }
    const captured: RouteValues = {};
    const accepted = match
      .slice(1)
      .every((text, index) => accept(parameters[index] as RouteParameter, text ?? '', captured));
    if (accepted) {
      Object.assign(values, captured);
      return true;
    }
  }
  return false;
}

function matchCatchAll(
  parameter: RouteParameter,
  rest: readonly string[],
  values: RouteValues,
): RouteValues | undefined {
  const value = rest.map(decode).join('/');
  if (value === '') {
    if (parameter.defaultValue !== undefined) {
      values[parameter.name] = parameter.defaultValue;
    }
    return values;
  }
  return accept(parameter, value, values) ? values : undefined;
}

/** The request path ended early: every remaining segment must be an optional parameter or have a default. */
function fillLeftOut(rest: readonly TemplateSegment[], values: RouteValues): RouteValues | undefined {
  for (const segment of rest) {
    const parameter = soleParameter(segment);
    if (!parameter || !(parameter.optional || parameter.catchAll || parameter.defaultValue !== undefined)) {
      return undefined;
    }
    if (parameter.defaultValue !== undefined) {
      values[parameter.name] = parameter.defaultValue;
    }
  }
  return values;
}

function accept(parameter: RouteParameter, value: string, values: RouteValues): boolean {
  if (value === '' || !parameter.constraints.every((constraint) => constraint(value))) {
    return false;
  }
  values[parameter.name] = value;
  return true;
}

function soleParameter(segment: TemplateSegment): RouteParameter | undefined {
  const only = segment.parts.length === 1 ? segment.parts[0] : undefined;
  return only?.kind === 'parameter' ? only.parameter : undefined;
}

/** Percent-decodes a segment; a malformed escape is kept as typed rather than failing the request. */
function decode(raw: string): string {
  if (!raw.includes('%')) {
    return raw;
  }
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
