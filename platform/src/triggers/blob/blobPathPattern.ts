import { ConfigurationError } from '../../errors';

/** A blob trigger path such as `images/{name}.{ext}`: a literal container and a blob-name template. */
export interface BlobPathPattern {
  /** The path as written, after `%Setting%` resolution. */
  readonly text: string;
  readonly container: string;
  /** Literal start of the blob name, usable as a listing prefix. */
  readonly prefix: string;
  /** `{token}` names in order. */
  readonly tokens: readonly string[];
  readonly regex: RegExp;
}

type Part = { literal: string } | { token: string };

/**
 * Parses a blob trigger path (docs "blob name patterns"): the container cannot hold a binding expression,
 * `{token}` captures part of the blob name, `{{` and `}}` are literal braces. A path that is only a container
 * matches every blob in it.
 */
export function parseBlobPath(path: string, functionName: string): BlobPathPattern {
  const slash = path.indexOf('/');
  const container = slash < 0 ? path : path.slice(0, slash);
  const template = slash < 0 ? '' : path.slice(slash + 1);
  if (!isContainerName(container)) {
    throw invalidPath(
      path,
      functionName,
      `the container '${container}' must be a literal container name: 3–63 lower-case letters, digits and ` +
        `single hyphens (binding expressions are not allowed there)`,
    );
  }

  const parts = splitTemplate(template, path, functionName);
  const tokens = parts.flatMap((part) => ('token' in part ? [part.token] : []));
  const firstToken = parts.findIndex((part) => 'token' in part);
  const prefix = (firstToken < 0 ? parts : parts.slice(0, firstToken))
    .map((p) => ('literal' in p ? p.literal : ''))
    .join('');
  const source = parts.map((part) => ('token' in part ? '(.+)' : escapeRegex(part.literal))).join('');
  // A path that names only a container (or ends at a folder) matches every blob below it.
  const open = template === '' || (firstToken < 0 && template.endsWith('/'));

  return { text: path, container, prefix, tokens, regex: new RegExp(`^${source}${open ? '.*' : ''}$`, 's') };
}

/** Token values when `blobName` matches the pattern, else undefined. */
export function matchBlobPath(pattern: BlobPathPattern, blobName: string): Record<string, string> | undefined {
  const match = pattern.regex.exec(blobName);
  if (!match) {
    return undefined;
  }
  const values: Record<string, string> = {};
  pattern.tokens.forEach((token, index) => {
    values[token] = match[index + 1] ?? '';
  });
  return values;
}

function splitTemplate(template: string, path: string, functionName: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    const following = template[i + 1];
    if ((char === '{' && following === '{') || (char === '}' && following === '}')) {
      literal += char;
      i++;
    } else if (char === '{') {
      const end = template.indexOf('}', i);
      const name = end < 0 ? '' : template.slice(i + 1, end).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
        throw invalidPath(path, functionName, `'{' at blob-name position ${i} does not start a {token} with a name`);
      }
      if (literal !== '') {
        parts.push({ literal });
        literal = '';
      }
      parts.push({ token: name });
      i = end;
    } else if (char === '}') {
      throw invalidPath(path, functionName, `'}' at blob-name position ${i} closes no token (write '}}' for a brace)`);
    } else {
      literal += char;
    }
  }
  if (literal !== '') {
    parts.push({ literal });
  }
  return parts;
}

function isContainerName(name: string): boolean {
  return name === '$root' || /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/.test(name);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function invalidPath(path: string, functionName: string, reason: string): ConfigurationError {
  return new ConfigurationError(
    `Function '${functionName}': blob trigger path '${path}' is invalid: ${reason}. Expected ` +
      `'<container>/<blob name pattern>', e.g. 'images/{name}.{ext}'.`,
    { functionName, setting: 'path' },
  );
}
