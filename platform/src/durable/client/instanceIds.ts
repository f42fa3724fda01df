import { randomUUID } from 'node:crypto';
import { DurableArgumentError } from './errors';

/** The extension's limit on instance id length (source: ext `DurableClient.cs`; the docs say 100). */
export const maxInstanceIdLength = 256;

/** A new instance id: a GUID in `N` format (32 hex digits), as the extension makes them. */
export function newInstanceId(): string {
  return randomUUID().replace(/-/g, '');
}

/**
 * Checks an instance id as the extension does: 1–256 characters, not starting with `@` (reserved for
 * entities), no `/`, `\`, `#`, `?` or control characters.
 */
export function validateInstanceId(instanceId: string): void {
  const problem =
    instanceId.length === 0
      ? 'it is empty'
      : instanceId.length > maxInstanceIdLength
        ? `it has ${instanceId.length} characters (at most ${maxInstanceIdLength})`
        : instanceId.startsWith('@')
          ? "it starts with '@', which is reserved for entities"
          : /[/\\#?]/.test(instanceId) || hasControlCharacter(instanceId)
            ? "it contains '/', '\\', '#', '?' or a control character"
            : undefined;
  if (problem) {
    throw new DurableArgumentError(`Instance id '${instanceId.slice(0, 80)}' is not valid: ${problem}.`);
  }
}

function hasControlCharacter(text: string): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      return true;
    }
  }
  return false;
}
