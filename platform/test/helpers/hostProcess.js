// Runs one local Functions host from platform/dist in its own process, for tests that kill a host (SIGKILL), run
// several hosts on one Azurite, or need a fresh @azure/functions (HTTP streaming is a process-wide switch in it).
// Usage: node platform/test/helpers/hostProcess.js <appDir> [--verbose] [--extensions <module>]
// (build first: npx tsc -b platform/tsconfig.json). Settings come from the environment (AzureWebJobsStorage,
// AzureFunctionsWebHost__hostid, …). `--extensions` names a module whose createExtensions(distDir) returns the
// host's extensions, e.g. with faults injected. Prints "Host process ready <baseUrl>" once listening and stops
// gracefully on SIGTERM. The app runs in a worker thread, as under `npm start`. Started by startHostProcess.ts.
const path = require('node:path');
const { parseArgs } = require('node:util');

const dist = path.join(__dirname, '../../dist');
const { FunctionsHost } = require(path.join(dist, 'host/host.js'));

function readArgs() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { verbose: { type: 'boolean', default: false }, extensions: { type: 'string' } },
  });
  const appDir = positionals[0];
  if (!appDir || positionals.length > 1) {
    throw new Error(`Expected the app directory as the only positional argument, but got '${positionals.join(' ')}'.`);
  }
  return { appDir, verbose: values.verbose, extensionsModule: values.extensions };
}

async function main() {
  const { appDir, verbose, extensionsModule } = readArgs();
  const extensions = extensionsModule ? require(path.resolve(extensionsModule)).createExtensions(dist) : undefined;

  const host = await FunctionsHost.start({
    appDir,
    port: 0,
    env: process.env,
    verbose,
    extensions,
    workerThread: true,
  });

  process.stdout.write(`Host process ready ${host.baseUrl}\n`);
  process.once('SIGTERM', () => {
    host.stop().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`Host process stop failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  });
}

main().catch((error) => {
  process.stderr.write(`Host process failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
