import { ConfigurationError } from '../../errors';
import { hasBindingExpressions } from '../bindingExpressions';

/** A blob's place: container and blob name (which may hold slashes). */
export interface BlobLocation {
  readonly container: string;
  readonly blobName: string;
}

const containerPattern = /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

/**
 * Checks a blob binding's `path` once `%Setting%` expressions are resolved: it needs `container/blob`, and a
 * container without `{token}` expressions must be a valid container name.
 */
export function checkBlobPath(path: string, where: { functionName: string; bindingKey: string }): void {
  const slash = path.indexOf('/');
  const container = slash < 0 ? path : path.slice(0, slash);
  const fail = (expected: string) => {
    throw new ConfigurationError(
      `Function '${where.functionName}': blob binding '${where.bindingKey}' has path '${path}'; expected ${expected}.`,
      { functionName: where.functionName, setting: 'path' },
    );
  };
  if (slash <= 0 || slash === path.length - 1) {
    fail("'<container>/<blob name>', e.g. 'images/{name}'");
  }
  if (!hasBindingExpressions(container) && !isValidContainerName(container)) {
    fail('a container name of 3-63 lowercase letters, digits and single hyphens, starting with a letter or digit');
  }
}

/** Splits a resolved path at its first slash. */
export function toBlobLocation(path: string): BlobLocation {
  const slash = path.indexOf('/');
  return { container: path.slice(0, slash), blobName: path.slice(slash + 1) };
}

/** True for a valid blob container name. */
export function isValidContainerName(name: string): boolean {
  return name.length >= 3 && name.length <= 63 && containerPattern.test(name);
}
