import { ConfigurationError } from '../errors';

/**
 * App settings as the host sees them: the process environment, which local.settings.json `Values` filled in
 * without overriding real environment variables.
 */
export class AppSettings {
  constructor(private readonly values: Readonly<Record<string, string | undefined>>) {}

  get(name: string): string | undefined {
    const value = this.values[name];
    return value === undefined || value === '' ? undefined : value;
  }

  /** Reads a setting that must exist; the error names the setting and who needs it. */
  require(name: string, neededBy: { functionName?: string; file?: string; purpose?: string }): string {
    const value = this.get(name);
    if (value === undefined) {
      const who = neededBy.functionName ? `function '${neededBy.functionName}'` : (neededBy.purpose ?? 'the host');
      throw new ConfigurationError(
        `App setting '${name}' is missing: ${who} needs it. Set it in local.settings.json "Values" or the environment.`,
        { setting: name, functionName: neededBy.functionName, file: neededBy.file },
      );
    }
    return value;
  }

  /** Names of every setting that starts with `prefix`. */
  namesStartingWith(prefix: string): string[] {
    return Object.keys(this.values).filter((name) => name.startsWith(prefix) && this.get(name) !== undefined);
  }

  /**
   * Resolves `%Setting%` expressions, as the host does in queue names, blob paths and schedules. `%%` is not
   * special; an unknown setting is a start-up error naming the function and the binding property.
   */
  resolveExpressions(text: string, where: { functionName: string; property: string }): string {
    return text.replace(/%([^%]+)%/g, (_match, name: string) => {
      const value = this.get(name);
      if (value === undefined) {
        throw new ConfigurationError(
          `Function '${where.functionName}': '${where.property}' refers to app setting '%${name}%', which is not set.`,
          { functionName: where.functionName, setting: name },
        );
      }
      return value;
    });
  }
}
