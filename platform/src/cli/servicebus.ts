#!/usr/bin/env node
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigurationError, PlatformError } from '../errors';
import { createLogger } from '../host/logger';
import { defaultServiceBusPort, startServiceBusBroker, type ServiceBusBroker } from '../servicebus';

/** Options of `local-servicebus`. */
export interface ServiceBusArgs {
  config: string;
  host: string;
  port: number;
  /** Journal folder; undefined with --in-memory. */
  dataDir: string | undefined;
  verbose: boolean;
}

export const serviceBusUsage = `Usage: local-servicebus [options]

Runs the local Service Bus broker on its own. Point any @azure/service-bus code at it with
Endpoint=sb://localhost:<port>;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;

Options:
  --config <file>    Config.json in the official emulator's format (default: servicebus-config.json)
  --port <n>         AMQP port (default: ${defaultServiceBusPort}; 0 picks a free port)
  --host <address>   interface to listen on (default: 127.0.0.1)
  --data <dir>       folder for the message journal (default: .local/servicebus)
  --in-memory        keep messages in memory only
  --verbose          log connections, links and entity errors (debug level)
  --help             show this text`;

const options = {
  config: { type: 'string', default: 'servicebus-config.json' },
  port: { type: 'string' },
  host: { type: 'string', default: '127.0.0.1' },
  data: { type: 'string' },
  'in-memory': { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** Parses the command line; bad options are ConfigurationErrors that carry the usage text. */
export function parseServiceBusArgs(argv: string[], cwd: string): ServiceBusArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options, allowPositionals: false }));
  } catch (error) {
    throw new ConfigurationError(`${(error as Error).message}\n\n${serviceBusUsage}`);
  }
  if (values.help) {
    return 'help';
  }
  if (values['in-memory'] && values.data !== undefined) {
    throw new ConfigurationError(`--data and --in-memory contradict each other: pick one.\n\n${serviceBusUsage}`);
  }
  return {
    config: path.resolve(cwd, values.config),
    host: values.host,
    port: values.port === undefined ? defaultServiceBusPort : parsePort(values.port),
    dataDir: values['in-memory'] ? undefined : path.resolve(cwd, values.data ?? path.join('.local', 'servicebus')),
    verbose: values.verbose,
  };
}

/** Starts the broker for parsed arguments, logging through the host's console logger. */
export async function startFromArgs(args: ServiceBusArgs): Promise<ServiceBusBroker> {
  const logger = createLogger({ levels: { default: args.verbose ? 'debug' : 'info' }, category: 'ServiceBus' });
  return startServiceBusBroker({
    config: args.config,
    host: args.host,
    port: args.port,
    persistenceDir: args.dataDir,
    logger,
  });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError(`--port must be a port number from 0 to 65535, but is '${text}'.`);
  }
  return port;
}

async function main(argv: string[]): Promise<number> {
  const args = parseServiceBusArgs(argv, process.cwd());
  if (args === 'help') {
    process.stdout.write(`${serviceBusUsage}\n`);
    return 0;
  }
  const broker = await startFromArgs(args);
  await new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void broker.stop().then(resolve, (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${(error as Error).message}\n`);
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const text = error instanceof PlatformError ? `${error.name}: ${error.message}` : String(error);
      process.stderr.write(`${text}\n`);
      process.exit(1);
    },
  );
}
