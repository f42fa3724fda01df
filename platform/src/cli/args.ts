import { parseArgs } from 'node:util';
import { ConfigurationError } from '../errors';

/** Options of `local-functions start`. */
export interface StartArgs {
  appDir: string;
  port: number | undefined;
  inMemory: boolean;
  verbose: boolean;
  azurite: boolean;
  serviceBus: boolean;
}

export const usage = `Usage: local-functions start [options]

Runs the Functions app in the current folder (or --app-dir) with embedded Azurite and the Service Bus broker.

Options:
  --app-dir <dir>    the app folder (default: current folder)
  --port <n>         HTTP port (default: Host.LocalHttpPort from local.settings.json, else 7071)
  --in-memory        keep Azurite and Service Bus data in memory instead of .local/
  --no-azurite       never start the embedded Azurite
  --no-servicebus    never start the embedded Service Bus broker
  --verbose          log at debug level
  --help             show this text`;

const options = {
  'app-dir': { type: 'string' },
  port: { type: 'string' },
  'in-memory': { type: 'boolean', default: false },
  'no-azurite': { type: 'boolean', default: false },
  'no-servicebus': { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** Parses the command line; unknown options and commands are errors that carry the usage text. */
export function parseStartArgs(argv: string[]): StartArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options });
  } catch (error) {
    throw new ConfigurationError(`${(error as Error).message}\n\n${usage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    return 'help';
  }
  const command = positionals[0] ?? 'start';
  if (command !== 'start' || positionals.length > 1) {
    throw new ConfigurationError(`Unknown command '${positionals.join(' ')}'; expected 'start'.\n\n${usage}`);
  }
  return {
    appDir: values['app-dir'] ?? process.cwd(),
    port: values.port === undefined ? undefined : parsePort(values.port),
    inMemory: values['in-memory'],
    verbose: values.verbose,
    azurite: !values['no-azurite'],
    serviceBus: !values['no-servicebus'],
  };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError(`--port must be a port number from 0 to 65535, but is '${text}'.`);
  }
  return port;
}
