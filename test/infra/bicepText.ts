/**
 * Small readers of Bicep source text. The Bicep compiler cannot run here, so the infra consistency tests read the
 * templates as text; these functions cover only the shapes the templates in infra/ use.
 */

/** A Bicep construct the tests expected was not found, or had a shape these readers do not understand. */
export class BicepShapeError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'BicepShapeError';
  }
}

/** Removes `//` and `/* *\/` comments, leaving string literals (including `'''` strings) untouched. */
export function stripBicepComments(text: string): string {
  let result = '';
  let i = 0;

  while (i < text.length) {
    if (text.startsWith("'''", i)) {
      const end = text.indexOf("'''", i + 3);
      const stop = end === -1 ? text.length : end + 3;
      result += text.slice(i, stop);
      i = stop;
    } else if (text[i] === "'") {
      const stop = endOfString(text, i);
      result += text.slice(i, stop);
      i = stop;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else {
      result += text[i];
      i += 1;
    }
  }

  return result;
}

/** Index just past the single-quoted string that starts at `start`, honouring `\'` escapes. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') {
      i += 2;
    } else if (text[i] === "'") {
      return i + 1;
    } else {
      i += 1;
    }
  }
  return text.length;
}

/** Index of the bracket that closes the one at `open` (`{`/`}` or `[`/`]`), skipping strings. */
function matchingBracket(text: string, open: number): number {
  const opener = text[open];
  const closer = opener === '{' ? '}' : ']';
  let depth = 0;
  let i = open;

  while (i < text.length) {
    const char = text[i];
    if (char === "'") {
      i = endOfString(text, i);
      continue;
    }
    if (char === opener) depth += 1;
    if (char === closer) {
      depth -= 1;
      if (depth === 0) return i;
    }
    i += 1;
  }

  return -1;
}

/** The entries written at the top level of an object literal body: key and the value's source text. */
function topLevelEntries(body: string): [string, string][] {
  const entries: [string, string][] = [];
  let i = 0;

  while (i < body.length) {
    const rest = body.slice(i);
    const key = /^\s*(?:'([^']*)'|([A-Za-z_][A-Za-z0-9_]*))\s*:\s*/.exec(rest);
    if (!key) {
      const nextLine = body.indexOf('\n', i);
      i = nextLine === -1 ? body.length : nextLine + 1;
      continue;
    }

    const valueStart = i + key[0].length;
    const opener = body[valueStart];
    const lineEnd = body.indexOf('\n', valueStart);
    const valueEnd =
      opener === '{' || opener === '[' ? matchingBracket(body, valueStart) + 1 : lineEnd === -1 ? body.length : lineEnd;
    entries.push([key[1] ?? key[2] ?? '', body.slice(valueStart, valueEnd).trim()]);
    i = valueEnd;
  }

  return entries;
}

/** The object literal body of `var <name> = { ... }`. */
function objectVariableBody(text: string, name: string, file: string): string {
  const source = stripBicepComments(text);
  const declaration = new RegExp(`\\bvar\\s+${name}\\s*=\\s*\\{`).exec(source);
  if (!declaration) {
    throw new BicepShapeError(`expected "var ${name} = { ... }", found no such object variable`, file);
  }

  const open = declaration.index + declaration[0].length - 1;
  const close = matchingBracket(source, open);
  if (close === -1) {
    throw new BicepShapeError(`the object of "var ${name}" is never closed`, file);
  }

  return source.slice(open + 1, close);
}

/** Keys of the object literal assigned to `var <name> = { ... }` in a Bicep file. */
export function objectVariableKeys(text: string, name: string, file: string): string[] {
  return topLevelEntries(objectVariableBody(text, name, file)).map(([key]) => key);
}

/** Entries (key and value source text) of the object literal assigned to `var <name> = { ... }`. */
export function objectVariableEntries(text: string, name: string, file: string): Map<string, string> {
  return new Map(topLevelEntries(objectVariableBody(text, name, file)));
}

/** The value of a plain single-quoted Bicep string literal (no interpolation), or undefined for anything else. */
export function stringLiteralValue(source: string): string | undefined {
  const literal = /^'((?:[^'\\$]|\\.)*)'$/.exec(source.trim());
  return literal ? (literal[1] ?? '').replace(/\\(.)/g, '$1') : undefined;
}

/** Names of every `var <name> = {` object variable in a Bicep file. */
export function objectVariableNames(text: string): string[] {
  const source = stripBicepComments(text);
  return [...source.matchAll(/\bvar\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*\{/g)].map((match) => match[1] ?? '');
}

/** The `loadJsonContent('<path>'[, '<jsonPath>'])` calls of a Bicep file, in order. */
export function loadJsonContentCalls(text: string): { path: string; jsonPath?: string }[] {
  const source = stripBicepComments(text);
  return [...source.matchAll(/loadJsonContent\(\s*'([^']+)'(?:\s*,\s*'([^']+)')?\s*\)/g)].map((match) => ({
    path: match[1] ?? '',
    ...(match[2] === undefined ? {} : { jsonPath: match[2] }),
  }));
}

/** Relative paths of the local modules a Bicep file declares (`module x '<path>'`). */
export function modulePaths(text: string): string[] {
  const source = stripBicepComments(text);
  return [...source.matchAll(/^\s*module\s+\w+\s+'([^']+)'/gm)].map((match) => match[1] ?? '');
}

/** Names declared with `output <name> <type>`. */
export function outputNames(text: string): string[] {
  const source = stripBicepComments(text);
  return [...source.matchAll(/^\s*output\s+([A-Za-z_][A-Za-z0-9_]*)\s/gm)].map((match) => match[1] ?? '');
}

/** Names declared with `param <name> <type>`. */
export function parameterNames(text: string): string[] {
  const source = stripBicepComments(text);
  return [...source.matchAll(/^\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s/gm)].map((match) => match[1] ?? '');
}

/** The body (text between the braces) of `module <symbol> '...' = [if (...)] { ... }`. */
export function moduleBody(text: string, symbol: string, file: string): string {
  const source = stripBicepComments(text);
  const declaration = new RegExp(`\\bmodule\\s+${symbol}\\s+'[^']+'\\s*=\\s*(?:if\\s*\\([^)]*\\)\\s*)?\\{`).exec(
    source,
  );
  if (!declaration) {
    throw new BicepShapeError(`expected "module ${symbol} '...' = { ... }", found none`, file);
  }

  const open = declaration.index + declaration[0].length - 1;
  return source.slice(open + 1, matchingBracket(source, open));
}
