/**
 * Readers of the app's TypeScript source (functions/, orchestrators/, activities/, lib/) that find what the Azure
 * templates must provide: the app settings the code reads and the functions it registers. Text-based on purpose:
 * they must not load the app, and they only need the plain shapes the app is written in.
 */

/**
 * A setting name as the code refers to it: a literal name, a key of `settings` in lib/names.ts, or a computed
 * `${connection}__<suffix>` key (an identity-based connection read for whichever connection is passed in).
 */
export type SettingReference =
  | { kind: 'literal'; name: string }
  | { kind: 'settingsKey'; key: string }
  | { kind: 'connectionSuffix'; suffix: string };

/** Where and how a setting is read. */
export interface SettingRead {
  reference: SettingReference;
  /** `env`: read from process.env; `connection`: a binding's `connection`; `expression`: a `%Setting%` binding expression. */
  via: 'env' | 'connection' | 'expression';
}

/** How a function is triggered, as far as the split between the API app and the worker app cares. */
export type TriggerGroup = 'http' | 'blob' | 'background';

/** One `app.<trigger>('name', ...)` or `df.app.<kind>('name', ...)` registration. */
export interface FunctionRegistration {
  /** The function name, or undefined when the first argument is not a literal or a same-file string constant. */
  name: string | undefined;
  /** The first argument as written. */
  nameExpression: string;
  /** The registration method, e.g. `http`, `storageQueue`, `orchestration`, `client.http`. */
  method: string;
  group: TriggerGroup;
  /** The text of the call's arguments, for further checks (blob path, source). */
  argumentsText: string;
}

const httpMethods = new Set(['http', 'get', 'post', 'put', 'patch', 'deleteRequest']);

/** Strips `//` and `/* *\/` comments so commented-out code is not mistaken for a read; keeps string contents. */
export function stripTsComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|(?<![:'"`\\])\/\/[^\n]*/g, '');
}

/** Every app setting read in one source file: process.env reads, binding connections and `%Setting%` expressions. */
export function settingReads(source: string): SettingRead[] {
  const code = stripTsComments(source);
  const reads: SettingRead[] = [];

  for (const match of code.matchAll(/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
    reads.push({ reference: { kind: 'literal', name: match[1] ?? '' }, via: 'env' });
  }
  for (const match of code.matchAll(/process\.env\[\s*(['"`])([^'"`$]+)\1\s*\]/g)) {
    reads.push({ reference: { kind: 'literal', name: match[2] ?? '' }, via: 'env' });
  }
  for (const match of code.matchAll(/process\.env\[\s*(?:\w+\.)*settings\.(\w+)\s*\]/g)) {
    reads.push({ reference: { kind: 'settingsKey', key: match[1] ?? '' }, via: 'env' });
  }
  for (const match of code.matchAll(/process\.env\[\s*`\$\{[^}]+\}__(\w+)`\s*\]/g)) {
    reads.push({ reference: { kind: 'connectionSuffix', suffix: match[1] ?? '' }, via: 'env' });
  }
  for (const match of code.matchAll(/\bconnection\s*:\s*(['"`])([^'"`]+)\1/g)) {
    reads.push({ reference: { kind: 'literal', name: match[2] ?? '' }, via: 'connection' });
  }
  for (const match of code.matchAll(/\bconnection\s*:\s*(?:\w+\.)*settings\.(\w+)/g)) {
    reads.push({ reference: { kind: 'settingsKey', key: match[1] ?? '' }, via: 'connection' });
  }
  for (const match of code.matchAll(/(['"`])%([A-Za-z_][A-Za-z0-9_]*)%\1/g)) {
    reads.push({ reference: { kind: 'literal', name: match[2] ?? '' }, via: 'expression' });
  }

  return reads;
}

/** `process.env` reads the scanner cannot name (a computed key other than a `settings` member). */
export function unresolvedEnvReads(source: string): string[] {
  const code = stripTsComments(source);
  return [...code.matchAll(/process\.env\[\s*([^\]'"`]+?)\s*\]/g)]
    .map((match) => match[1] ?? '')
    .filter((expression) => !/^(?:\w+\.)*settings\.\w+$/.test(expression))
    .filter((expression) => !/^`\$\{[^}]+\}__\w+`$/.test(expression));
}

/** String constants declared in a file (`const NAME = 'value'`), used to resolve function names. */
function stringConstants(code: string): Map<string, string> {
  const constants = new Map<string, string>();
  for (const match of code.matchAll(/\bconst\s+([A-Za-z_$][\w$]*)\s*(?::\s*string\s*)?=\s*(['"`])([^'"`$]*)\2/g)) {
    constants.set(match[1] ?? '', match[3] ?? '');
  }
  return constants;
}

/** Index just past the parenthesis that closes the one at `open`, skipping string and template literals. */
function endOfCall(code: string, open: number): number {
  let depth = 0;
  let i = open;

  while (i < code.length) {
    const char = code[i];
    if (char === "'" || char === '"' || char === '`') {
      i = code.indexOf(char, i + 1);
      if (i === -1) return code.length;
    } else if (char === '(') {
      depth += 1;
    } else if (char === ')') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }

  return code.length;
}

function triggerGroup(method: string): TriggerGroup {
  const bare = method.replace(/^client\./, '');
  if (httpMethods.has(bare)) return 'http';
  if (bare === 'storageBlob') return 'blob';
  return 'background';
}

/** Every function registration in one source file. */
export function functionRegistrations(source: string): FunctionRegistration[] {
  const code = stripTsComments(source);
  const constants = stringConstants(code);
  const registrations: FunctionRegistration[] = [];

  for (const match of code.matchAll(/\bapp\.((?:client\.)?[A-Za-z]+)\(/g)) {
    const method = match[1] ?? '';
    if (method === 'setup' || method === 'hook' || method.startsWith('hook.')) continue;

    const open = match.index + match[0].length - 1;
    const argumentsText = code.slice(open + 1, endOfCall(code, open) - 1);
    const nameExpression = (/^\s*([^,]+?)\s*(?:,|$)/.exec(argumentsText)?.[1] ?? '').trim();
    const literal = /^(['"`])([^'"`$]*)\1$/.exec(nameExpression);
    const name = literal ? literal[2] : constants.get(nameExpression);

    registrations.push({ name, nameExpression, method, group: triggerGroup(method), argumentsText });
  }

  return registrations;
}

/** The container a blob trigger watches, from its `path` option: a literal (`'images/{name}'`) or `containers.<key>`. */
export type BlobPathContainer = { kind: 'literal'; container: string } | { kind: 'containersKey'; key: string };

/** Reads the container of a storageBlob registration's `path`, or undefined when it is written another way. */
export function blobTriggerContainer(argumentsText: string): BlobPathContainer | undefined {
  const viaNames = /\bpath\s*:\s*`\$\{\s*(?:\w+\.)*containers\.(\w+)\s*\}\//.exec(argumentsText);
  if (viaNames) return { kind: 'containersKey', key: viaNames[1] ?? '' };

  const literal = /\bpath\s*:\s*(['"`])([a-z0-9-]+)\//.exec(argumentsText);
  if (literal) return { kind: 'literal', container: literal[2] ?? '' };

  return undefined;
}

/** Whether a storageBlob registration asks for the Event Grid source (the only one Flex Consumption supports). */
export function usesEventGridSource(argumentsText: string): boolean {
  return /\bsource\s*:\s*(['"`])EventGrid\1/.test(argumentsText);
}
